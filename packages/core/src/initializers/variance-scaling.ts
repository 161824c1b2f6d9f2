import { checkOptions } from '../util/options.js';
import { randomNormal, randomUniform, truncatedNormal } from '../random/random.js';
import type { Tensor } from '../tensor/tensor.js';
import type { DType, Shape } from '../types.js';
import { computeFans } from './fans.js';
import { nameKey } from '../util/named-registry.js';
import { checkFloat, Initializer, type InitializerConfig } from './initializer.js';
import type { SeedConfig } from './random.js';

export type FanMode = 'fanIn' | 'fanOut' | 'fanAvg';
export type ScalingDistribution = 'truncatedNormal' | 'untruncatedNormal' | 'uniform';

/**
 * Keras's truncated-normal correction: the stddev of a standard normal truncated to [-2, 2].
 * Dividing by it makes the truncated draws have the intended variance.
 */
const TRUNCATED_STDDEV = 0.87962566103423978;

const MODES: readonly FanMode[] = ['fanIn', 'fanOut', 'fanAvg'];
const DISTRIBUTIONS: readonly ScalingDistribution[] = ['truncatedNormal', 'untruncatedNormal', 'uniform'];

/** Accepts Keras's snake_case spelling ('fan_avg') of a camelCase option. */
function canonical<T extends string>(option: string, value: string, allowed: readonly T[]): T {
  const found = allowed.find((a) => nameKey(a) === nameKey(value));
  if (!found) throw new Error(`VarianceScaling: ${option} must be one of ${allowed.join(', ')}, got '${value}'`);
  return found;
}

export interface VarianceScalingConfig extends SeedConfig {
  /** The variance is scale / n. Default 1. */
  scale?: number;
  /** What n counts: the inputs ('fanIn', the default), the outputs ('fanOut') or their mean ('fanAvg'). */
  mode?: FanMode | string;
  /** 'truncatedNormal' (the default, redrawn beyond 2σ), 'untruncatedNormal' or 'uniform'. */
  distribution?: ScalingDistribution | string;
}

/**
 * Draws with variance `scale / n`, n being the fan-in, fan-out or their mean: the family behind
 * Glorot and He. Formulas are Keras 3's: truncated normal stddev sqrt(scale/n)/0.8796...,
 * untruncated normal stddev sqrt(scale/n), uniform limit sqrt(3·scale/n).
 */
export class VarianceScaling extends Initializer {
  readonly className: string = 'VarianceScaling';
  readonly scale: number;
  readonly mode: FanMode;
  readonly distribution: ScalingDistribution;
  readonly seed: number | undefined;

  constructor(given: VarianceScalingConfig = {}) {
    super();
    const config = checkOptions('VarianceScaling', given, { scale: true, mode: true, distribution: true, seed: true });
    this.scale = config.scale ?? 1;
    this.mode = canonical('mode', config.mode ?? 'fanIn', MODES);
    // 'normal' is Keras 2's (and TensorFlow.js's) older name for the truncated normal.
    const distribution = config.distribution === 'normal' ? 'truncatedNormal' : config.distribution;
    this.distribution = canonical('distribution', distribution ?? 'truncatedNormal', DISTRIBUTIONS);
    this.seed = config.seed ?? undefined;
    if (!(this.scale > 0)) throw new Error(`VarianceScaling: scale must be positive, got ${this.scale}`);
  }

  apply(shape: Shape, dtype: DType = 'float32'): Tensor {
    checkFloat(this.className, dtype);
    const { fanIn, fanOut } = computeFans(shape);
    const n = this.mode === 'fanIn' ? fanIn : this.mode === 'fanOut' ? fanOut : (fanIn + fanOut) / 2;
    const variance = this.scale / Math.max(1, n);
    switch (this.distribution) {
      case 'truncatedNormal':
        return truncatedNormal(shape, 0, Math.sqrt(variance) / TRUNCATED_STDDEV, dtype, this.seed);
      case 'untruncatedNormal':
        return randomNormal(shape, 0, Math.sqrt(variance), dtype, this.seed);
      case 'uniform': {
        const limit = Math.sqrt(3 * variance);
        return randomUniform(shape, -limit, limit, dtype, this.seed);
      }
    }
  }

  override getConfig(): InitializerConfig {
    return { scale: this.scale, mode: this.mode, distribution: this.distribution, seed: this.seed ?? null };
  }
}

/** The seed of a named variance scaling (Glorot, He), which takes no other option. */
const seedOnly = (initializer: string, config: SeedConfig): number | null | undefined => checkOptions(initializer, config, { seed: true }).seed;

/** Uniform in ±sqrt(6 / (fanIn + fanOut)). */
export class GlorotUniform extends VarianceScaling {
  override readonly className = 'GlorotUniform';
  constructor(config: SeedConfig = {}) {
    super({ scale: 1, mode: 'fanAvg', distribution: 'uniform', seed: seedOnly('GlorotUniform', config) });
  }
  override getConfig(): InitializerConfig {
    return { seed: this.seed ?? null };
  }
}

/** Truncated normal with stddev sqrt(2 / (fanIn + fanOut)) (before truncation correction). */
export class GlorotNormal extends VarianceScaling {
  override readonly className = 'GlorotNormal';
  constructor(config: SeedConfig = {}) {
    super({ scale: 1, mode: 'fanAvg', distribution: 'truncatedNormal', seed: seedOnly('GlorotNormal', config) });
  }
  override getConfig(): InitializerConfig {
    return { seed: this.seed ?? null };
  }
}

/** Truncated normal with stddev sqrt(2 / fanIn) (before truncation correction). */
export class HeNormal extends VarianceScaling {
  override readonly className = 'HeNormal';
  constructor(config: SeedConfig = {}) {
    super({ scale: 2, mode: 'fanIn', distribution: 'truncatedNormal', seed: seedOnly('HeNormal', config) });
  }
  override getConfig(): InitializerConfig {
    return { seed: this.seed ?? null };
  }
}

/** Uniform in ±sqrt(6 / fanIn). */
export class HeUniform extends VarianceScaling {
  override readonly className = 'HeUniform';
  constructor(config: SeedConfig = {}) {
    super({ scale: 2, mode: 'fanIn', distribution: 'uniform', seed: seedOnly('HeUniform', config) });
  }
  override getConfig(): InitializerConfig {
    return { seed: this.seed ?? null };
  }
}
