import type { Tensor } from '../tensor/tensor.js';
import { describeValue } from '../util/arguments.js';
import { Layer, type CallKwargs, type ConfigDict, type LayerConfig, type LayerOutput, type OutputShape } from './layer.js';
import type { OptionList } from './layer-options.js';
import { MixingLayer } from './mixing-layer.js';
import { classNameOf, deserializeLayer, registerClass, serializeLayer, type LayerClass, type SerializedLayer } from './registry.js';
import { isShapeList, type SymbolicShape } from './symbolic-shape.js';

/**
 * Keras's Pipeline: a plain layer (not a model) applying `layers` in order, each to what the one
 * before gave, each drawing its own randomness as it would alone. `training` reaches every layer
 * (here, as for every Perceptron layer, a call without it is inference; Keras's Pipeline defaults
 * it to true). Given [images, labels], as MixUp and CutMix take them, a mixing layer gets both
 * and every other layer the images alone, the labels passing it unchanged, as Keras's image
 * layers pass a dict's labels. `new Pipeline([new RandomFlip(), new RandomRotation(0.1)])`.
 */
export class Pipeline extends Layer {
  static override readonly className = 'Pipeline';
  static override readonly options: OptionList = {};
  readonly layers: readonly Layer[];

  constructor(layers: readonly Layer[], config: LayerConfig = {}) {
    super(config);
    if (!Array.isArray(layers) || !layers.every((layer) => layer instanceof Layer)) {
      throw new Error(`${this.label}: layers must be a list of Layers, got ${describeValue(Array.isArray(layers) ? layers.map((l) => (l instanceof Layer ? classNameOf(l.constructor as LayerClass) : l)) : layers)}`);
    }
    this.layers = [...layers];
  }

  protected override get takesList(): boolean {
    return true;
  }

  override call(inputs: Tensor | Tensor[], kwargs: CallKwargs = {}): LayerOutput {
    const { mask: _mask, ...layerKwargs } = kwargs;
    let current: Tensor | Tensor[] = inputs;
    for (const layer of this.layers) {
      if (!Array.isArray(current) || layer instanceof MixingLayer) {
        current = layer.apply(current, layerKwargs) as Tensor | Tensor[];
      } else {
        const [images, ...rest] = current;
        current = [layer.apply(images!, layerKwargs) as Tensor, ...rest];
      }
    }
    return current;
  }

  override computeOutputShape(inputShape: SymbolicShape | readonly SymbolicShape[]): OutputShape {
    let shape: OutputShape = inputShape;
    for (const layer of this.layers) {
      if (!isShapeList(shape) || layer instanceof MixingLayer) shape = layer.computeOutputShape(shape);
      else {
        const [images, ...rest] = shape;
        shape = [layer.computeOutputShape(images!) as SymbolicShape, ...rest];
      }
    }
    return shape;
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), layers: this.layers.map(serializeLayer) as unknown as ConfigDict[string] };
  }

  static override fromConfig(cls: LayerClass, config: ConfigDict): Layer {
    const { layers, ...rest } = config as ConfigDict & { layers?: SerializedLayer[] };
    if (!Array.isArray(layers)) throw new Error(`${classNameOf(cls)}.fromConfig: expected config.layers, a list of serialized layers, got ${describeValue(layers)}`);
    return new cls(layers.map(deserializeLayer), rest);
  }
}
registerClass(Pipeline as LayerClass);
