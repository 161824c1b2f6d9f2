import { mean } from '../ops/reduce.js';
import type { Tensor } from '../tensor/tensor.js';
import { Layer, type ConfigDict, type LayerConfig } from './layer.js';
import { registerClass, type LayerClass } from './registry.js';
import type { SymbolicShape } from './symbolic-shape.js';
import { checkImageShape } from '../ops/window-geometry.js';

export interface GlobalAveragePooling2DConfig extends LayerConfig {
  /** Keep the spatial axes as 1s: [batch, 1, 1, channels]. Default false: [batch, channels]. */
  keepdims?: boolean;
}

/** Keras's GlobalAveragePooling2D: the mean of each channel over the image's height and width. */
export class GlobalAveragePooling2D extends Layer {
  static override readonly className = 'GlobalAveragePooling2D';
  readonly keepdims: boolean;

  constructor(config: GlobalAveragePooling2DConfig = {}) {
    super(config);
    this.keepdims = config.keepdims ?? false;
  }

  override call(inputs: Tensor): Tensor {
    checkImageShape(`GlobalAveragePooling2D '${this.name}'`, inputs.shape);
    return mean(inputs, [1, 2], this.keepdims);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const [batch, , , channels] = inputShape;
    return this.keepdims ? [batch ?? null, 1, 1, channels ?? null] : [batch ?? null, channels ?? null];
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), keepdims: this.keepdims };
  }
}
registerClass(GlobalAveragePooling2D as LayerClass);
