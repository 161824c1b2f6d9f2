import { Layer, type CallKwargs, type ConfigDict, type LayerConfig } from '../layers/layer.js';
import { SymbolicTensor } from '../layers/symbolic-tensor.js';
import { describeValue } from '../util/arguments.js';
import { deserializeLayer, registerClass, serializeLayer, type LayerClass, type SerializedLayer } from '../layers/registry.js';
import { withUnknownBatch, type SymbolicShape } from '../layers/symbolic-shape.js';
import { hasUnknownLength, standInShape } from '../layers/stand-in-lengths.js';
import { rememberUnknownLengthOutput } from '../layers/unknown-length-outputs.js';
import { singleOutput, singleOutputShape } from '../layers/single-output.js';
import { attachMask, firstMask, type LayerMask } from '../layers/mask.js';
import { applyWithMask } from '../layers/mask-propagation.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Shape } from '../types.js';
import { Model } from './model.js';
import type { OptionList, OwnOptions } from '../layers/layer-options.js';

/** A layer, or what `Input()` returns, which stands for its InputLayer. */
export type SequentialEntry = Layer | SymbolicTensor;

export interface SequentialConfig extends LayerConfig {
  /** The layers in order, as instances or as `{className, config}`. More can be added with `add`. */
  layers?: readonly SequentialEntry[];
}

/**
 * A plain stack of layers, each applied to the previous one's output. When the input shape is
 * known (an `Input` first, or `inputShape` on the first layer) every added layer is built at
 * once, so `summary()` works before any data is seen.
 */
export class Sequential extends Model {
  static override readonly className = 'Sequential';
  static override readonly options: OptionList = { layers: true } satisfies OwnOptions<SequentialConfig, LayerConfig>;
  readonly #stack: Layer[] = [];
  /** The output shape of the stack so far, when the input shape is known. */
  #shape: SymbolicShape | null = null;

  constructor(layersOrConfig: readonly SequentialEntry[] | SequentialConfig = [], config: LayerConfig = {}) {
    const full: SequentialConfig = Array.isArray(layersOrConfig) ? { ...config, layers: layersOrConfig as readonly SequentialEntry[] } : layersOrConfig as SequentialConfig;
    const { layers = [], ...rest } = full;
    super(rest);
    for (const layer of layers) this.add(layer);
  }

  /** Appends a layer (an `Input()` adds its InputLayer); builds it now when the shape of its input is known. */
  add(entry: SequentialEntry): void {
    const layer = entry instanceof SymbolicTensor && entry.node.inputs.length === 0 ? entry.sourceLayer : entry;
    if (!(layer instanceof Layer)) throw new Error(`Sequential.add: expected a Layer or an Input(), got ${describeValue(layer)}`);
    if (this.#stack.includes(layer)) throw new Error(`Sequential.add: layer '${layer.name}' is already in model '${this.name}'`);
    if (layer.batchInputShape && this.#stack.length > 0) {
      throw new Error(`Sequential.add: only the first layer may declare an input shape; '${layer.name}' is layer ${this.#stack.length + 1} of '${this.name}'`);
    }
    // Built before it joins the stack: a layer that fails to build (or has several outputs) is not added.
    const inputShape = layer.batchInputShape ?? this.#shape;
    if (inputShape) this.#shape = buildLayer(`Sequential '${this.name}'`, layer, inputShape);
    this.#stack.push(layer);
    if (this.#shape && !this.built) {
      this.built = true;
      // As a functional model's: an unknown length leaves no single shape the model was built for.
      const declared = this.#stack[0]!.batchInputShape!;
      this.buildInputShape = hasUnknownLength(declared) ? null : standInShape(declared);
    }
  }

  /** A stack takes one tensor, as its first layer does. */
  protected override get takesList(): boolean {
    return false;
  }

  /** The layers, without the InputLayer (as Keras lists them). */
  override get layers(): Layer[] {
    return this.#stack.filter((layer) => !isInputLayer(layer));
  }

  /** Tracked for weights and `trainable` (the stack is not an enumerable property). */
  override get childLayers(): Layer[] {
    return [...this.#stack];
  }

  override build(inputShape: Shape): void {
    let shape: SymbolicShape = withUnknownBatch(inputShape);
    for (const layer of this.#stack) shape = buildLayer(`Sequential '${this.name}'`, layer, shape);
    this.#shape = shape;
  }

  /** Each layer on the one before's output and mask (`kwargs.mask`: the input's, when the model is a layer of another). */
  override call(inputs: Tensor, kwargs: CallKwargs = {}): Tensor {
    if (this.#stack.length === 0) throw new Error(`Sequential '${this.name}': the model has no layers; add some with model.add(layer)`);
    const { mask: inputMask, keepOutputMask, ...rest } = kwargs;
    let [x, mask]: [Tensor, LayerMask] = [inputs, inputMask ?? null];
    for (const layer of this.#stack) {
      const called = applyWithMask(layer, x, rest, mask);
      [x, mask] = [singleOutput(`Sequential '${this.name}'`, layer, called.output), called.mask];
    }
    if (keepOutputMask) attachMask(x, firstMask(mask));
    return x;
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return this.#stack.reduce((shape, layer) => singleOutputShape(`Sequential '${this.name}'`, layer, layer.computeOutputShape(shape)), inputShape);
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), layers: this.#stack.map(serializeLayer) };
  }

  static override fromConfig(cls: LayerClass, config: ConfigDict): Layer {
    const { layers = [], ...rest } = config as ConfigDict & { layers?: SerializedLayer[] };
    if (!Array.isArray(layers)) throw new Error(`Sequential.fromConfig: expected config.layers to be an array, got ${typeof layers}`);
    return new cls({ ...rest, layers: layers.map(deserializeLayer) });
  }
}
registerClass(Sequential as LayerClass);

/** Builds `layer` for inputs of `shape` and returns its output shape. */
function buildLayer(model: string, layer: Layer, shape: SymbolicShape): SymbolicShape {
  layer.ensureBuilt(standInShape(shape));
  const output = singleOutputShape(model, layer, layer.computeOutputShape(shape));
  if (hasUnknownLength(shape)) rememberUnknownLengthOutput(layer, withUnknownBatch(output));
  return output;
}

function isInputLayer(layer: Layer): boolean {
  return (layer.constructor as LayerClass).className === 'InputLayer';
}
