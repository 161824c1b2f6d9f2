import { add, div, mul } from '../ops/arithmetic.js';
import { concat } from '../ops/concat.js';
import { gather } from '../ops/gather.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Shape } from '../types.js';
import { describeValue } from '../util/arguments.js';
import { Layer, type CallKwargs, type ConfigDict, type LayerConfig } from './layer.js';
import { Recurrent } from './recurrent.js';
import { classNameOf, deserializeLayer, registerClass, serializeLayer, type LayerClass, type SerializedLayer } from './registry.js';
import type { SymbolicShape } from './symbolic-shape.js';

/** How Bidirectional combines the two directions' outputs (Keras's merge_mode). */
export type BidirectionalMergeMode = 'concat' | 'sum' | 'mul' | 'ave';

const MERGE_MODES: readonly BidirectionalMergeMode[] = ['concat', 'sum', 'mul', 'ave'];

export interface BidirectionalConfig extends LayerConfig {
  /**
   * 'concat' (default) joins the outputs along the last axis; 'sum', 'mul' and 'ave' combine
   * them elementwise. Keras's null, which returns the two outputs as a list, is refused: a layer
   * here has one output.
   */
  mergeMode?: BidirectionalMergeMode | null;
  /**
   * The layer that reads the sequence the other way, used as given: it must have the opposite
   * goBackwards and the same returnSequences. Default: a fresh copy of the wrapped layer.
   */
  backwardLayer?: Recurrent;
}

/**
 * Keras's Bidirectional: a recurrent layer run over the sequence in both directions, the two
 * outputs merged. As in Keras 3 the wrapped layer itself is not used: `forwardLayer` is a fresh
 * copy from its config, named `forward_<name>`, and `backwardLayer` (unless given) another,
 * `backward_<name>`, with goBackwards flipped; so their weights are new, forward's first.
 * With returnSequences the backward output is flipped in time, so that step t of both
 * outputs belongs to input step t.
 */
export class Bidirectional extends Layer {
  static override readonly className = 'Bidirectional';
  // Declared in this order so that the weights are the forward layer's, then the backward one's.
  readonly forwardLayer: Recurrent;
  readonly backwardLayer: Recurrent;
  readonly mergeMode: BidirectionalMergeMode;

  constructor(layer: Recurrent, config: BidirectionalConfig = {}) {
    super(config);
    const label = `Bidirectional '${this.name}'`;
    const expectRecurrent = (value: unknown, role: string): Recurrent => {
      if (value instanceof Recurrent) return value;
      const given = value instanceof Layer ? `${classNameOf(value.constructor as LayerClass)} '${value.name}'` : describeValue(value);
      throw new Error(`${label}: expected ${role} to be a recurrent layer (SimpleRNN, LSTM, GRU), got ${given}`);
    };
    const wrapped = expectRecurrent(layer, 'the wrapped layer');
    this.mergeMode = checkMergeMode(label, config.mergeMode);
    this.forwardLayer = renamedCopy(label, wrapped, 'forward_', {});
    // Keras 3 sets go_backwards to true here, and so refuses a layer that already reads
    // backwards; tf.keras flipped it, which accepts one. Flipping is what we do.
    this.backwardLayer = config.backwardLayer === undefined
      ? renamedCopy(label, wrapped, 'backward_', { goBackwards: !wrapped.goBackwards })
      : expectRecurrent(config.backwardLayer, 'backwardLayer');
    this.#checkPair(label);
  }

  /** The two directions must mirror each other and give outputs the merge can combine. */
  #checkPair(label: string): void {
    const [forward, backward] = [this.forwardLayer, this.backwardLayer];
    const both = (property: string, f: unknown, b: unknown) => `${property} ${JSON.stringify(f)} (forward '${forward.name}') and ${JSON.stringify(b)} (backward '${backward.name}')`;
    if (forward.goBackwards === backward.goBackwards) {
      throw new Error(`${label}: expected the forward and backward layers to read in opposite directions, got ${both('goBackwards', forward.goBackwards, backward.goBackwards)}`);
    }
    if (forward.returnSequences !== backward.returnSequences) {
      throw new Error(`${label}: expected the forward and backward layers to agree on returnSequences, got ${both('returnSequences', forward.returnSequences, backward.returnSequences)}`);
    }
    if (this.mergeMode !== 'concat' && forward.units !== backward.units) {
      throw new Error(`${label}: mergeMode '${this.mergeMode}' combines outputs elementwise, so it expects layers of as many units, got ${both('units', forward.units, backward.units)}`);
    }
  }

  override build(inputShape: Shape): void {
    this.forwardLayer.ensureBuilt(inputShape);
    this.backwardLayer.ensureBuilt(inputShape);
  }

  override call(inputs: Tensor, kwargs: CallKwargs = {}): Tensor {
    const forward = this.forwardLayer.apply(inputs, kwargs);
    const backward = this.backwardLayer.apply(inputs, kwargs);
    return this.#merge(forward, this.backwardLayer.returnSequences ? reverseTime(backward) : backward);
  }

  #merge(forward: Tensor, backward: Tensor): Tensor {
    switch (this.mergeMode) {
      case 'concat': return concat([forward, backward], -1);
      case 'sum': return add(forward, backward);
      case 'mul': return mul(forward, backward);
      case 'ave': return div(add(forward, backward), 2);
    }
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const forward = this.forwardLayer.computeOutputShape(inputShape);
    if (this.mergeMode !== 'concat') return forward;
    const [f, b] = [forward.at(-1), this.backwardLayer.computeOutputShape(inputShape).at(-1)];
    return [...forward.slice(0, -1), f == null || b == null ? null : f + b];
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

function checkMergeMode(label: string, mergeMode: unknown): BidirectionalMergeMode {
  if (mergeMode === undefined) return 'concat';
  if (mergeMode === null) {
    throw new Error(`${label}: mergeMode null returns the forward and backward outputs as a list, which needs a layer of several outputs; layers here have one, so use one of ${MERGE_MODES.map((m) => `'${m}'`).join(', ')}`);
  }
  if (!MERGE_MODES.includes(mergeMode as BidirectionalMergeMode)) {
    throw new Error(`${label}: mergeMode must be one of ${MERGE_MODES.map((m) => `'${m}'`).join(', ')}, got ${describeValue(mergeMode)}`);
  }
  return mergeMode as BidirectionalMergeMode;
}

/**
 * A new layer from `layer`'s config with `changes`, named `prefix` + its name (once: a name that
 * already has the prefix keeps it, so a saved pair reloads under the same names).
 */
function renamedCopy(label: string, layer: Recurrent, prefix: string, changes: ConfigDict): Recurrent {
  const { className, config } = serializeLayer(layer);
  const name = prefix + (layer.name.startsWith(prefix) ? layer.name.slice(prefix.length) : layer.name);
  try {
    return deserializeLayer({ className, config: { ...config, ...changes, name } }) as Recurrent;
  } catch (error) {
    throw new Error(`${label}: cannot copy layer '${layer.name}' from its config: ${(error as Error).message}`, { cause: error });
  }
}

/** `x` [batch, timesteps, ...] with its timesteps in the opposite order. */
function reverseTime(x: Tensor): Tensor {
  const timesteps = x.shape[1]!;
  return gather(x, Array.from({ length: timesteps }, (_, t) => timesteps - 1 - t), 1);
}
