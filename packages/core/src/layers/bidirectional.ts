import { add, div, mul } from '../ops/arithmetic.js';
import { concat } from '../ops/concat.js';
import { gather } from '../ops/gather.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Shape } from '../types.js';
import { describeValue } from '../util/arguments.js';
import { firstMask, type LayerMask, type Mask } from './mask.js';
import { Layer, type CallKwargs, type ConfigDict, type LayerConfig, type LayerOutput, type OutputShape } from './layer.js';
import { Recurrent } from './recurrent.js';
import { checkInitialStates } from './recurrent-states.js';
import { classNameOf, deserializeLayer, registerClass, serializeLayer, type LayerClass, type SerializedLayer } from './registry.js';
import { isShapeList, type SymbolicShape } from './symbolic-shape.js';
import type { OptionList, OwnOptions } from './layer-options.js';

/** How Bidirectional combines the two directions' outputs (Keras's merge_mode). */
export type BidirectionalMergeMode = 'concat' | 'sum' | 'mul' | 'ave';

const MERGE_MODES: readonly BidirectionalMergeMode[] = ['concat', 'sum', 'mul', 'ave'];

export interface BidirectionalConfig<ReturnState extends boolean = boolean, MergeMode extends BidirectionalMergeMode | null = BidirectionalMergeMode | null> extends LayerConfig {
  /**
   * 'concat' (default) joins the outputs along the last axis; 'sum', 'mul' and 'ave' combine
   * them elementwise; null returns them as a list, [forward, backward], as Keras does.
   */
  mergeMode?: MergeMode;
  /**
   * The layer that reads the sequence the other way, used as given: it must have the opposite
   * goBackwards and the same returnSequences and returnState. Default: a fresh copy of the
   * wrapped layer.
   */
  backwardLayer?: Recurrent<ReturnState>;
}

/**
 * What Bidirectional's `call` returns: the merged output, or a list, as Keras 3: [forward,
 * backward] for mergeMode null, and with returnState the forward layer's final states then the
 * backward layer's after the output(s).
 */
export type BidirectionalOutput<ReturnState extends boolean, MergeMode> = ReturnState extends true ? Tensor[] : MergeMode extends null ? Tensor[] : Tensor;

/**
 * Keras's Bidirectional: a recurrent layer run over the sequence in both directions, the two
 * outputs merged. As in Keras 3 the wrapped layer itself is not used: `forwardLayer` is a fresh
 * copy from its config, named `forward_<name>`, and `backwardLayer` (unless given) another,
 * `backward_<name>`, with goBackwards flipped; so their weights are new, forward's first.
 * With returnSequences the backward output is flipped in time, so that step t of both
 * outputs belongs to input step t. The wrapped layer's returnState makes the layer return the
 * final states too (see BidirectionalOutput); its type parameters default, as the recurrent
 * layers', to what the constructor makes when the options are left out.
 * `apply([x, ...forwardStates, ...backwardStates])` starts each direction from its own initial
 * states, as Keras's `initial_state` list: for an LSTM [x, hForward, cForward, hBackward, cBackward].
 */
export class Bidirectional<ReturnState extends boolean = false, MergeMode extends BidirectionalMergeMode | null = BidirectionalMergeMode> extends Layer {
  static override readonly className = 'Bidirectional';
  static override readonly options: OptionList = { mergeMode: true, backwardLayer: true } satisfies OwnOptions<BidirectionalConfig, LayerConfig>;
  /** Listed so that call refuses it saying where the initial states go. */
  static override readonly callOptions: OptionList = { initialState: true };
  // Declared in this order so that the weights are the forward layer's, then the backward one's.
  readonly forwardLayer: Recurrent<ReturnState>;
  readonly backwardLayer: Recurrent<ReturnState>;
  readonly mergeMode: BidirectionalMergeMode | null;

  constructor(layer: Recurrent<ReturnState>, config: BidirectionalConfig<ReturnState, MergeMode> = {}) {
    super(config);
    const expectRecurrent = (value: unknown, role: string): Recurrent<ReturnState> => {
      if (value instanceof Recurrent) return value as Recurrent<ReturnState>;
      const given = value instanceof Layer ? `${classNameOf(value.constructor as LayerClass)} '${value.name}'` : describeValue(value);
      throw new Error(`${this.label}: expected ${role} to be a recurrent layer (SimpleRNN, LSTM, GRU), got ${given}`);
    };
    const wrapped = expectRecurrent(layer, 'the wrapped layer');
    this.mergeMode = checkMergeMode(this.label, config.mergeMode);
    this.forwardLayer = renamedCopy(this.label, wrapped, 'forward_', {});
    // Keras 3 sets go_backwards to true here, and so refuses a layer that already reads
    // backwards; tf.keras flipped it, which accepts one. Flipping is what we do.
    this.backwardLayer = config.backwardLayer === undefined
      ? renamedCopy(this.label, wrapped, 'backward_', { goBackwards: !wrapped.goBackwards })
      : expectRecurrent(config.backwardLayer, 'backwardLayer');
    this.#checkPair();
  }

  /** The two directions must mirror each other and give outputs the merge can combine. */
  #checkPair(): void {
    const [forward, backward] = [this.forwardLayer, this.backwardLayer];
    const both = (property: string, f: unknown, b: unknown) => `${property} ${JSON.stringify(f)} (forward '${forward.name}') and ${JSON.stringify(b)} (backward '${backward.name}')`;
    if (forward.goBackwards === backward.goBackwards) {
      throw new Error(`${this.label}: expected the forward and backward layers to read in opposite directions, got ${both('goBackwards', forward.goBackwards, backward.goBackwards)}`);
    }
    for (const property of ['returnSequences', 'returnState'] as const) {
      if (forward[property] !== backward[property]) {
        throw new Error(`${this.label}: expected the forward and backward layers to agree on ${property}, got ${both(property, forward[property], backward[property])}`);
      }
    }
    if (this.mergeMode !== 'concat' && this.mergeMode !== null && forward.units !== backward.units) {
      throw new Error(`${this.label}: mergeMode '${this.mergeMode}' combines outputs elementwise, so it expects layers of as many units, got ${both('units', forward.units, backward.units)}`);
    }
  }

  /** The sequence, then optionally the initial states. */
  protected override get takesList(): boolean {
    return true;
  }

  /**
   * Builds both directions from the sequence's shape alone (the initial states' shapes follow
   * from their weights). Before the first build the states are checked, so that wrong ones leave
   * it unbuilt; after it, `call` and `computeOutputShape` check them.
   */
  override ensureBuilt(inputShape: Shape | Shape[]): void {
    const [sequence, ...initialStates] = isShapeList(inputShape) ? inputShape : [inputShape];
    if (!this.built) this.#checkInitialStates(sequence!, initialStates);
    super.ensureBuilt(sequence!);
  }

  override build(inputShape: Shape): void {
    this.forwardLayer.ensureBuilt(inputShape);
    this.backwardLayer.ensureBuilt(inputShape);
  }

  override call(inputs: Tensor | Tensor[], kwargs: CallKwargs = {}): BidirectionalOutput<ReturnState, MergeMode> {
    if (kwargs.initialState !== undefined) {
      const names = this.#stateNames().join(', ');
      throw new Error(`${this.label}: expected the initial states in the inputs list, apply([sequence, ${names}]), got them as kwargs.initialState`);
    }
    const [sequence, ...initialStates] = [inputs].flat();
    this.#checkInitialStates(sequence!.shape, initialStates.map((s) => s.shape));
    const run = (layer: Recurrent, states: Tensor[]) => asList(layer.apply(states.length > 0 ? [sequence!, ...states] : sequence!, kwargs));
    const [forwardInitial, backwardInitial] = this.#byDirection(initialStates);
    const [forward, ...forwardStates] = run(this.forwardLayer, forwardInitial);
    const [backward, ...backwardStates] = run(this.backwardLayer, backwardInitial);
    const inTimeOrder = this.backwardLayer.returnSequences ? reverseTime(backward!) : backward!;
    const outputs = this.mergeMode === null ? [forward!, inTimeOrder] : [merge(this.mergeMode, forward!, inTimeOrder)];
    return inKeras3Order(outputs, forwardStates, backwardStates) as BidirectionalOutput<ReturnState, MergeMode>;
  }

  /** Both directions read the sequence's mask (`call` passes it on). */
  override get supportsMasking(): boolean {
    return true;
  }

  /** The sequence's mask holds for each output sequence; last outputs, and the states, have none. */
  override computeMask(_inputs: Tensor | Tensor[], mask: LayerMask): LayerMask {
    const output = this.forwardLayer.returnSequences ? firstMask(mask) : null;
    const outputs = this.mergeMode === null ? [output, output] : [output];
    const noStates = (layer: Recurrent) => (layer.returnState ? layer.stateNames.map(() => null) : []);
    return inKeras3Order<Mask>(outputs, noStates(this.forwardLayer), noStates(this.backwardLayer));
  }

  /** Shapes as `call` returns tensors. */
  override computeOutputShape(inputShape: SymbolicShape | readonly SymbolicShape[]): OutputShape {
    const [sequence, ...initialStates] = isShapeList(inputShape) ? inputShape : [inputShape];
    this.#checkInitialStates(sequence!, initialStates);
    const [forward, ...forwardStates] = asShapeList(this.forwardLayer.computeOutputShape(sequence!));
    const [backward, ...backwardStates] = asShapeList(this.backwardLayer.computeOutputShape(sequence!));
    const [f, b] = [forward.at(-1), backward.at(-1)];
    const concatenated = [...forward.slice(0, -1), f == null || b == null ? null : f + b];
    const outputs = this.mergeMode === null ? [forward, backward] : [this.mergeMode === 'concat' ? concatenated : forward];
    return inKeras3Order(outputs, forwardStates, backwardStates);
  }

  /**
   * Throws unless `states` are none (both directions start from zeros) or the forward layer's
   * then the backward layer's, named `forward h`, `backward c`, ..., each checked against its
   * own layer's units.
   */
  #checkInitialStates(sequence: SymbolicShape, states: readonly SymbolicShape[]): void {
    const names = this.#stateNames();
    if (states.length !== 0 && states.length !== names.length) {
      throw new Error(`${this.label}: expected ${names.length} initial states (${names.join(', ')}) after the sequence, or none, got ${states.length}`);
    }
    const [forwardNames, backwardNames] = this.#byDirection(names);
    const [forwardStates, backwardStates] = this.#byDirection(states);
    checkInitialStates(this.label, forwardNames, this.forwardLayer.units, sequence, forwardStates);
    checkInitialStates(this.label, backwardNames, this.backwardLayer.units, sequence, backwardStates);
  }

  /** The names of the initial states `apply` takes: `forward h`, ..., then `backward h`, .... */
  #stateNames(): string[] {
    return [
      ...this.forwardLayer.stateNames.map((name) => `forward ${name}`),
      ...this.backwardLayer.stateNames.map((name) => `backward ${name}`),
    ];
  }

  /** A list of the forward layer's states then the backward layer's, split in two (none: two empty lists). */
  #byDirection<T>(list: readonly T[]): [T[], T[]] {
    const forwardCount = list.length === 0 ? 0 : this.forwardLayer.stateNames.length;
    return [list.slice(0, forwardCount), list.slice(forwardCount)];
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), mergeMode: this.mergeMode, layer: serializeLayer(this.forwardLayer), backwardLayer: serializeLayer(this.backwardLayer) };
  }

  /**
   * `layer` is the forward layer (named `forward_<name>`, which copying keeps) and the backward
   * layer is rebuilt as it was saved, so the pair comes back as it was.
   */
  static override fromConfig(cls: LayerClass, config: ConfigDict): Layer {
    const { layer, backwardLayer, ...rest } = config as ConfigDict & { layer?: SerializedLayer; backwardLayer?: SerializedLayer };
    if (layer === undefined) throw new Error(`${classNameOf(cls)}.fromConfig: expected config.layer, the serialized forward layer, got none`);
    return new cls(deserializeLayer(layer), { ...rest, ...(backwardLayer === undefined ? {} : { backwardLayer: deserializeLayer(backwardLayer) }) });
  }
}
registerClass(Bidirectional as LayerClass);

function checkMergeMode(label: string, mergeMode: unknown): BidirectionalMergeMode | null {
  if (mergeMode === undefined) return 'concat';
  if (mergeMode !== null && !MERGE_MODES.includes(mergeMode as BidirectionalMergeMode)) {
    throw new Error(`${label}: mergeMode must be one of ${MERGE_MODES.map((m) => `'${m}'`).join(', ')} or null, got ${describeValue(mergeMode)}`);
  }
  return mergeMode as BidirectionalMergeMode | null;
}

function merge(mergeMode: BidirectionalMergeMode, forward: Tensor, backward: Tensor): Tensor {
  switch (mergeMode) {
    case 'concat': return concat([forward, backward], -1);
    case 'sum': return add(forward, backward);
    case 'mul': return mul(forward, backward);
    case 'ave': return div(add(forward, backward), 2);
  }
}

/**
 * Keras 3's order: the output, or the two for mergeMode null, then with returnState the forward
 * states and the backward states; one output alone is returned as itself, not as a list.
 */
function inKeras3Order<T>(outputs: T[], forwardStates: T[], backwardStates: T[]): T | T[] {
  const listed = [...outputs, ...forwardStates, ...backwardStates];
  return listed.length === 1 ? listed[0]! : listed;
}

/** A recurrent layer's output as a list: [output] or, with returnState, [output, ...states]. */
function asList(output: LayerOutput): Tensor[] {
  return Array.isArray(output) ? output : [output];
}

function asShapeList(shape: OutputShape): SymbolicShape[] {
  return isShapeList(shape) ? [...shape] : [shape];
}

/**
 * A new layer from `layer`'s config with `changes`, named `prefix` + its name (once: a name that
 * already has the prefix keeps it, so a saved pair reloads under the same names).
 */
function renamedCopy<ReturnState extends boolean>(label: string, layer: Recurrent<ReturnState>, prefix: string, changes: ConfigDict): Recurrent<ReturnState> {
  const { className, config } = serializeLayer(layer);
  const name = prefix + (layer.name.startsWith(prefix) ? layer.name.slice(prefix.length) : layer.name);
  try {
    return deserializeLayer({ className, config: { ...config, ...changes, name } }) as Recurrent<ReturnState>;
  } catch (error) {
    throw new Error(`${label}: cannot copy layer '${layer.name}' from its config: ${(error as Error).message}`, { cause: error });
  }
}

/** `x` [batch, timesteps, ...] with its timesteps in the opposite order. */
function reverseTime(x: Tensor): Tensor {
  const timesteps = x.shape[1]!;
  return gather(x, Array.from({ length: timesteps }, (_, t) => timesteps - 1 - t), 1);
}
