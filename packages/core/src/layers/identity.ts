import type { Tensor } from '../tensor/tensor.js';
import { Layer, type OutputShape } from './layer.js';
import { registerClass, type LayerClass } from './registry.js';
import type { SymbolicShape } from './symbolic-shape.js';
import type { OptionList } from './layer-options.js';

/**
 * Keras's Identity: returns what it is given, one tensor or a list, with its masks; a placeholder
 * where a model's structure wants a layer that does nothing (a switched-off block, say).
 */
export class Identity extends Layer {
  static override readonly className = 'Identity';
  static override readonly options: OptionList = {};

  /** As Keras's, it passes any structure through: one tensor or several. */
  protected override get takesList(): boolean {
    return true;
  }

  override get supportsMasking(): boolean {
    return true;
  }

  override call(inputs: Tensor | Tensor[]): Tensor | Tensor[] {
    return inputs;
  }

  override computeOutputShape(inputShape: SymbolicShape | readonly SymbolicShape[]): OutputShape {
    return inputShape;
  }
}
registerClass(Identity as LayerClass);
