import type { RandomGenerator } from '../random/generator.js';
import { layerGenerator } from '../random/random.js';
import type { ConfigDict, LayerConfig } from './layer.js';
import { SameShapeLayer } from './same-shape-layer.js';
import type { OptionList, OwnOptions } from './layer-options.js';

export interface NoiseLayerConfig extends LayerConfig {
  /** Seeds this layer's own generator; without it, the noise comes from the global one (`setSeed`). */
  seed?: number;
}

/**
 * A layer that draws noise while training (Dropout and its kin, GaussianNoise, GaussianDropout)
 * and passes its inputs through otherwise: where it draws from, and its seed in the config.
 */
export abstract class NoiseLayer extends SameShapeLayer {
  static override readonly options: OptionList = { seed: true } satisfies OwnOptions<NoiseLayerConfig, LayerConfig>;
  readonly seed: number | undefined;
  /** The generator to draw from at this call. */
  protected readonly generator: () => RandomGenerator;

  constructor(config: NoiseLayerConfig) {
    super(config);
    this.seed = config.seed;
    this.generator = layerGenerator(config.seed);
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), ...(this.seed === undefined ? {} : { seed: this.seed }) };
  }
}
