import { Layer } from './layer.js';
import type { SymbolicShape } from './symbolic-shape.js';

/**
 * A layer whose output has its input's shape and whose every timestep is computed alone
 * (Activation and the activation layers, Dropout, Masking), so the input's mask holds for the
 * output too.
 */
export abstract class SameShapeLayer extends Layer {
  override get supportsMasking(): boolean {
    return true;
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return inputShape;
  }
}
