import { ENGINE } from '../engine/engine.js';
import { tidy } from '../engine/memory.js';
import type { GradientFn } from '../ops/run-op.js';
import { add } from '../ops/arithmetic.js';
import { onesLike, zerosLike } from '../ops/creation.js';
import { reshape } from '../ops/reshape.js';
import { holdTensor, releaseTensor, Tensor, type SavedTensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import { isPlainObject } from '../util/plain-object.js';
import { formatShape, shapesEqual } from '../util/shape.js';

export interface GradientTapeOptions {
  /** Allow several `gradient` calls; call `dispose()` when done. Default false. */
  persistent?: boolean;
  /** Watch trainable variables automatically when an op reads them. Default true. */
  watchAccessedVariables?: boolean;
}

export interface GradientOptions {
  /** What a source the target does not depend on gets: `'none'` (null, the default) or `'zero'`. */
  unconnectedGradients?: 'none' | 'zero';
}

/** Sources as a list or a record of tensors; the gradients come back in the same structure. */
export type Sources = Tensor | readonly Tensor[] | { readonly [key: string]: Tensor };
export type Gradients<S> = S extends Tensor
  ? Tensor | null
  : { -readonly [K in keyof S]: Tensor | null };

interface TapeNode {
  readonly opName: string;
  readonly inputIds: readonly number[];
  readonly outputId: number;
  readonly gradient: GradientFn | undefined;
  /** The op's inputs, then its output, kept alive for the gradient. */
  readonly saved: readonly SavedTensor[];
}

const NON_PERSISTENT_MESSAGE =
  'A non-persistent GradientTape can only be used to compute one set of gradients (or jacobians)';
const INT_SOURCE_MESSAGE = 'The dtype of the watched tensor must be floating (e.g. tf.float32)';
const RECORDED_PLAYBACK_MESSAGE =
  'GradientTape.gradient: calling gradient on a persistent tape inside its own record() is less efficient than ' +
  'nested tapes or a call after record(): the gradient ops are recorded on the tape, which keeps their tensors ' +
  'until dispose(). Do it only to take higher-order derivatives with one tape.';
/** TF warns once per process, so a training loop that does this on purpose is not flooded. */
let warnedRecordedPlayback = false;

/**
 * Records ops so their gradients can be computed, with tf.GradientTape's semantics. Where
 * Python writes `with tf.GradientTape() as tape:`, write `tape.record(() => ...)`:
 *
 * ```ts
 * const tape = new GradientTape();
 * const loss = tape.record(() => lossFn(yBatch, model.call(xBatch)));
 * const grads = tape.gradient(loss, model.trainableWeights);   // one Tensor | null per weight
 * ```
 *
 * Trainable variables are watched when an op reads them; other tensors only after `watch`.
 * Tapes nest: while one plays back, the others keep recording, which gives higher-order
 * derivatives. A persistent tape asked for a gradient inside its own `record` also records that
 * playback (as TF does, with a warning), so one tape can differentiate its own gradients. The
 * tensors a tape keeps for its gradients are released after the `gradient` call of a
 * non-persistent tape, and by `dispose()` or `reset()` of a persistent one.
 */
export class GradientTape {
  readonly persistent: boolean;
  readonly watchAccessedVariables: boolean;
  /** Ids of watched tensors and of every recorded op output computed from them. */
  private readonly trackedIds = new Set<number>();
  private readonly variables: Variable[] = [];
  private nodes: TapeNode[] = [];
  private entered = 0;
  private paused = 0;
  private finished = false;

  constructor(options: GradientTapeOptions = {}) {
    this.persistent = options.persistent ?? false;
    this.watchAccessedVariables = options.watchAccessedVariables ?? true;
  }

  /** Runs `fn` with this tape recording (Python's `with tape:` block) and returns its result. */
  record<T>(fn: () => T): T {
    if (this.finished) throw new Error(`GradientTape.record: ${NON_PERSISTENT_MESSAGE}`);
    this.entered++;
    ENGINE.tapes.push(this);
    let result: T;
    try {
      result = fn();
    } catch (error) {
      this.exit();
      throw error;
    }
    if (result instanceof Promise) return result.finally(() => this.exit()) as T;
    this.exit();
    return result;
  }

  private exit(): void {
    this.entered--;
    const index = ENGINE.tapes.lastIndexOf(this);
    if (index >= 0) ENGINE.tapes.splice(index, 1);
  }

  /** Runs `fn` without recording on this tape (tf's `tape.stop_recording()`). */
  stopRecording<T>(fn: () => T): T {
    this.paused++;
    try {
      return fn();
    } finally {
      this.paused--;
    }
  }

  /** True while ops are being recorded on this tape. */
  get isRecording(): boolean {
    return this.entered > 0 && this.paused === 0 && !this.finished;
  }

  /** Makes `tensors` sources whose gradients can be asked for. */
  watch(tensors: Tensor | readonly Tensor[]): void {
    for (const t of Array.isArray(tensors) ? tensors : [tensors as Tensor]) {
      expectTensor('GradientTape.watch', 'a tensor (or an array of them)', t);
      t.assertUsable('GradientTape.watch');
      if (t.dtype !== 'float32') {
        console.warn(`GradientTape.watch: ${INT_SOURCE_MESSAGE}; got ${t.dtype}`);
        continue;
      }
      this.trackedIds.add(t.id);
      if (t.isVariable && !this.variables.includes(t as Variable)) this.variables.push(t as Variable);
    }
  }

  /** The variables this tape watches, in the order it first saw them. */
  watchedVariables(): Variable[] {
    return [...this.variables];
  }

  /** Called by `runOp` for every op while this tape is on the engine's stack. Internal. */
  recordOp(opName: string, inputs: readonly Tensor[], output: Tensor, gradient: GradientFn | undefined): void {
    if (!this.isRecording) return;
    let connected = false;
    for (const input of inputs) {
      if (this.watchAccessedVariables && input.isVariable && (input as Variable).trainable && !this.trackedIds.has(input.id)) {
        this.watch(input);
      }
      if (this.trackedIds.has(input.id)) connected = true;
    }
    if (!connected || output.dtype !== 'float32') return;
    this.trackedIds.add(output.id);
    this.nodes.push({
      opName,
      inputIds: inputs.map((t) => t.id),
      outputId: output.id,
      gradient,
      saved: [...inputs.map(holdTensor), holdTensor(output)],
    });
  }

  /**
   * d(sum of target)/d(source) for each source, in the sources' structure. A source the target
   * does not depend on, or one that was never watched, gets null (or zeros with
   * `unconnectedGradients: 'zero'`). A non-persistent tape answers one call.
   */
  gradient<S extends Sources>(target: Tensor | readonly Tensor[], sources: S, options: GradientOptions = {}): Gradients<S> {
    if (this.finished) throw new Error(NON_PERSISTENT_MESSAGE);
    const targets = Array.isArray(target) ? (target as readonly Tensor[]) : [target as Tensor];
    const sourceList = sourceTensors(sources);
    for (const t of targets) expectTensor('GradientTape.gradient', 'the target to be a tensor (or an array of them)', t);
    for (const t of [...targets, ...sourceList]) t.assertUsable('GradientTape.gradient');

    // A non-persistent tape ends with this call, so recording its own playback would be wasted
    // (TF pops it off the tape stack). A persistent one keeps recording while inside `record`,
    // which makes its gradients differentiable by itself; the nodes this adds are safe, as
    // backpropagate picks the nodes it walks before it runs any op.
    if (this.persistent && this.isRecording && !warnedRecordedPlayback) {
      warnedRecordedPlayback = true;
      console.warn(RECORDED_PLAYBACK_MESSAGE);
    }
    if (!this.persistent) this.paused++;
    let grads: (Tensor | null)[];
    try {
      grads = tidy(() => this.backpropagate(targets, sourceList, options.unconnectedGradients ?? 'none'));
    } finally {
      if (!this.persistent) {
        this.paused--;
        this.finished = true;
        this.releaseNodes();
      }
    }
    return restructure(sources, grads) as Gradients<S>;
  }

  private backpropagate(targets: readonly Tensor[], sources: readonly Tensor[], unconnected: 'none' | 'zero'): (Tensor | null)[] {
    const floatTargets = targets.filter((t) => {
      if (t.dtype === 'float32') return true;
      console.warn(`GradientTape.gradient: ${INT_SOURCE_MESSAGE}; the target is ${t.dtype}`);
      return false;
    });
    // Nodes on a path from a watched source to a target, found forwards then backwards.
    // A source may be a watched tensor or any recorded intermediate (dz/dy for y = f(x)).
    const sourceIds = new Set(sources.filter((s) => s.dtype === 'float32' && this.trackedIds.has(s.id)).map((s) => s.id));
    const reachable = new Set(sourceIds);
    const forward = this.nodes.filter((node) => {
      if (!node.inputIds.some((id) => reachable.has(id))) return false;
      reachable.add(node.outputId);
      return true;
    });
    const needed = new Set(floatTargets.map((t) => t.id));
    const path: TapeNode[] = [];
    for (let i = forward.length - 1; i >= 0; i--) {
      const node = forward[i]!;
      if (!needed.has(node.outputId)) continue;
      path.push(node);
      for (const id of node.inputIds) if (reachable.has(id)) needed.add(id);
    }

    const grads = new Map<number, Tensor>();
    const accumulate = (id: number, g: Tensor): void => {
      const previous = grads.get(id);
      grads.set(id, previous ? add(previous, g) : g);
    };
    for (const t of floatTargets) if (reachable.has(t.id)) accumulate(t.id, onesLike(t));

    for (const node of path) {
      const dy = grads.get(node.outputId);
      if (!dy) continue;
      if (!node.gradient) {
        throw new Error(`GradientTape.gradient: no gradient is registered for op '${node.opName}', which lies between the target and a source`);
      }
      const saved = node.saved.map((s) => s.tensor);
      const output = saved[saved.length - 1]!;
      const inputs = saved.slice(0, -1);
      const inputGrads = node.gradient(dy, { inputs, output }, node.inputIds.map((id) => reachable.has(id)));
      node.inputIds.forEach((id, i) => {
        const g = inputGrads[i];
        if (!g || !reachable.has(id)) return;
        if (!shapesEqual(g.shape, inputs[i]!.shape)) {
          throw new Error(`GradientTape.gradient: the gradient of '${node.opName}' for input ${i} has shape ${formatShape(g.shape)}, expected ${formatShape(inputs[i]!.shape)}`);
        }
        accumulate(id, g);
      });
    }

    // Each source gets its own tensor, even where two share one gradient (add passes dy to both
    // operands; a source may be listed twice): disposing one must not free the other.
    const given = new Set<Tensor>();
    return sources.map((s) => {
      if (s.dtype !== 'float32') {
        console.warn(`GradientTape.gradient: ${INT_SOURCE_MESSAGE}; source ${s.id} is ${s.dtype}`);
        return null;
      }
      const g = grads.get(s.id);
      if (!g || !sourceIds.has(s.id)) return unconnected === 'zero' ? zerosLike(s) : null;
      if (given.has(g)) return reshape(g, g.shape);
      given.add(g);
      return g;
    });
  }

  /** Forgets everything recorded so far (and what was watched); the tape keeps recording. */
  reset(): void {
    this.releaseNodes();
    this.trackedIds.clear();
    this.variables.length = 0;
  }

  /** Releases what a persistent tape keeps for its gradients. The tape cannot be used after. */
  dispose(): void {
    this.releaseNodes();
    this.finished = true;
  }

  private releaseNodes(): void {
    for (const node of this.nodes) for (const s of node.saved) releaseTensor(s);
    this.nodes = [];
  }
}

function expectTensor(caller: string, what: string, value: unknown): asserts value is Tensor {
  if (!(value instanceof Tensor)) throw new Error(`${caller}: expected ${what}, got ${value === null ? 'null' : typeof value}`);
}

/** The sources' tensors in order; a leaf that is not a tensor is an error, not a silent gap. */
function sourceTensors(sources: Sources): Tensor[] {
  const list: Tensor[] = [];
  const leaves: unknown[] = Array.isArray(sources) ? sources : isPlainObject(sources) ? Object.values(sources) : [sources];
  for (const leaf of leaves) {
    expectTensor('GradientTape.gradient', 'each source to be a tensor', leaf);
    list.push(leaf);
  }
  return list;
}

function restructure(sources: Sources, grads: (Tensor | null)[]): unknown {
  let i = 0;
  if (Array.isArray(sources)) return sources.map(() => grads[i++]);
  if (sources instanceof Tensor) return grads[0];
  const out: Record<string, Tensor | null> = {};
  for (const key of Object.keys(sources)) out[key] = grads[i++]!;
  return out;
}
