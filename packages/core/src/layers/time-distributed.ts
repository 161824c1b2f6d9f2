import { reshape } from '../ops/reshape.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Shape } from '../types.js';
import { describeValue } from '../util/arguments.js';
import { formatShape } from '../util/shape.js';
import { Layer, type CallKwargs, type ConfigDict, type LayerConfig } from './layer.js';
import { classNameOf, deserializeLayer, registerClass, serializeLayer, type LayerClass, type SerializedLayer } from './registry.js';
import type { SymbolicShape } from './symbolic-shape.js';
import { singleOutput, singleOutputShape } from './single-output.js';
import type { OptionList } from './layer-options.js';

/**
 * Keras's TimeDistributed: `layer` applied to every time slice of [batch, timesteps, ...], with
 * the same weights for each, giving [batch, timesteps, ...layer's output]. The timesteps are
 * folded into the batch, so the layer runs once on [batch·timesteps, ...] (as tf.keras did;
 * Keras 3 calls it once per timestep and stacks the results). The two agree for every layer
 * whose output row depends on its input row alone; BatchNormalization while training is the
 * exception: its batch statistics here span all timesteps, not one.
 */
export class TimeDistributed extends Layer {
  static override readonly className = 'TimeDistributed';
  static override readonly options: OptionList = {};
  readonly layer: Layer;

  constructor(layer: Layer, config: LayerConfig = {}) {
    super(config);
    if (!(layer instanceof Layer)) throw new Error(`${this.label}: expected a Layer to apply to each timestep, got ${describeValue(layer)}`);
    this.layer = layer;
  }

  override build(inputShape: Shape): void {
    this.#checkRank(inputShape);
    this.layer.ensureBuilt([inputShape[0]! * inputShape[1]!, ...inputShape.slice(2)]);
  }

  /** Each timestep is computed alone, so the sequence's mask holds for the output. */
  override get supportsMasking(): boolean {
    return true;
  }

  override call(inputs: Tensor, kwargs: CallKwargs = {}): Tensor {
    this.#checkRank(inputs.shape);
    const [batch, timesteps] = inputs.shape as [number, number];
    // The sequence's mask is [batch, timesteps]; the wrapped layer sees single time slices.
    const { mask: _sequenceMask, ...sliceKwargs } = kwargs;
    const output = singleOutput(this.label, this.layer, this.layer.apply(reshape(inputs, [batch * timesteps, ...inputs.shape.slice(2)]), sliceKwargs));
    if (output.shape[0] !== batch * timesteps) {
      throw new Error(
        `${this.label}: expected the wrapped ${classNameOf(this.layer.constructor as LayerClass)} '${this.layer.name}' to return one row per input row`
        + ` (the ${batch}×${timesteps} time slices folded into a batch of ${batch * timesteps}), got shape ${formatShape(output.shape)}`,
      );
    }
    return reshape(output, [batch, timesteps, ...output.shape.slice(1)]);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    this.#checkRank(inputShape);
    const [batch, timesteps, ...slice] = inputShape;
    // The layer sees the folded batch, whose size is no sample count: left unknown.
    const sliceOutput = singleOutputShape(this.label, this.layer, this.layer.computeOutputShape([null, ...slice]));
    return [batch ?? null, timesteps ?? null, ...sliceOutput.slice(1)];
  }

  #checkRank(shape: SymbolicShape): void {
    if (shape.length < 3) {
      throw new Error(`${this.label}: expected inputs of rank 3 or more ([batch, timesteps, ...]), got shape ${formatShape(shape.map((d) => d ?? -1))}`);
    }
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), layer: serializeLayer(this.layer) };
  }

  static override fromConfig(cls: LayerClass, config: ConfigDict): Layer {
    const { layer, ...rest } = config as ConfigDict & { layer?: SerializedLayer };
    if (layer === undefined) throw new Error(`${classNameOf(cls)}.fromConfig: expected config.layer, the serialized wrapped layer, got none`);
    return new cls(deserializeLayer(layer), rest);
  }
}
registerClass(TimeDistributed as LayerClass);
