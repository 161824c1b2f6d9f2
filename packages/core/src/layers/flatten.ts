import { reshape } from '../ops/reshape.js';
import type { Tensor } from '../tensor/tensor.js';
import { sizeOf } from '../util/shape.js';
import { Layer } from './layer.js';
import { registerClass, type LayerClass } from './registry.js';
import type { SymbolicShape } from './symbolic-shape.js';
import type { OptionList } from './layer-options.js';

/** Keeps the batch dimension and flattens the rest: [batch, 28, 28] -> [batch, 784]. */
export class Flatten extends Layer {
  static override readonly className = 'Flatten';
  static override readonly options: OptionList = {};

  override call(inputs: Tensor): Tensor {
    if (inputs.rank < 1) throw new Error(`Flatten '${this.name}': expected inputs with a batch dimension, got a scalar`);
    return reshape(inputs, [inputs.shape[0]!, sizeOf(inputs.shape.slice(1))]);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const rest = inputShape.slice(1);
    return [inputShape[0] ?? null, rest.includes(null) ? null : rest.reduce<number>((a, d) => a * d!, 1)];
  }
}
registerClass(Flatten as LayerClass);
