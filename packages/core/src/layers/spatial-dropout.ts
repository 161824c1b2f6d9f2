import type { Shape } from '../types.js';
import { Dropout, type DropoutConfig } from './dropout.js';
import type { ConfigDict } from './layer.js';
import { classNameOf, registerClass, type LayerClass } from './registry.js';
import { checkSpatialInput } from './spatial-arguments.js';
import type { OptionList } from './layer-options.js';

export type SpatialDropoutConfig = Omit<DropoutConfig, 'noiseShape'>;

/**
 * Keras's SpatialDropout1D, 2D and 3D: Dropout that drops whole feature maps (channels last) rather
 * than single values, one draw per sample and channel, because neighbouring steps or pixels of a
 * map are strongly correlated and dropping single values regularizes them little.
 */
abstract class SpatialDropout extends Dropout {
  /** The inputs' rank: [batch, steps, channels], [batch, height, width, channels] or [batch, depth, height, width, channels]. */
  protected abstract readonly rank: number;

  constructor(rateOrConfig: number | SpatialDropoutConfig, config: Omit<SpatialDropoutConfig, 'rate'> = {}) {
    // Dropout's noiseShape would replace the one draw per sample and channel that makes it spatial.
    if (Object.hasOwn(typeof rateOrConfig === 'number' ? config : rateOrConfig, 'noiseShape')) {
      throw new Error(`${classNameOf(new.target as unknown as LayerClass)}: unknown option 'noiseShape'; a spatial dropout's noise shape is fixed, one draw per sample and channel`);
    }
    super(rateOrConfig, config);
  }

  protected override maskShape(shape: Shape): Shape {
    checkSpatialInput(this.label, shape, this.rank - 2);
    return shape.map((d, i) => (i === 0 || i === shape.length - 1 ? d : 1));
  }

  override getConfig(): ConfigDict {
    const { noiseShape: _fixed, ...config } = super.getConfig();
    return config;
  }
}

/** Drops whole channels of sequences [batch, steps, channels]. */
export class SpatialDropout1D extends SpatialDropout {
  static override readonly className = 'SpatialDropout1D';
  static override readonly options: OptionList = {};
  protected override readonly rank = 3;
}
registerClass(SpatialDropout1D as LayerClass);

/** Drops whole channels of images [batch, height, width, channels]. */
export class SpatialDropout2D extends SpatialDropout {
  static override readonly className = 'SpatialDropout2D';
  static override readonly options: OptionList = {};
  protected override readonly rank = 4;
}
registerClass(SpatialDropout2D as LayerClass);

/** Drops whole channels of volumes [batch, depth, height, width, channels]. */
export class SpatialDropout3D extends SpatialDropout {
  static override readonly className = 'SpatialDropout3D';
  static override readonly options: OptionList = {};
  protected override readonly rank = 5;
}
registerClass(SpatialDropout3D as LayerClass);
