import { minimum, mul, sub } from '../ops/arithmetic.js';
import { greater } from '../ops/compare.js';
import { relu } from '../ops/unary.js';
import { where } from '../ops/where.js';
import type { Tensor } from '../tensor/tensor.js';
import { NON_NEGATIVE, numberArgument, type Requirement } from '../util/arguments.js';
import type { ConfigDict, LayerConfig } from './layer.js';
import { registerClass, type LayerClass } from './registry.js';
import { SameShapeLayer } from './same-shape-layer.js';
import type { OptionList, OwnOptions } from './layer-options.js';

/** What shapes a rectifier: LeakyReLU is the ReLU with no limit and no threshold. */
interface Rectification {
  maxValue: number | null;
  negativeSlope: number;
  threshold: number;
}

/**
 * min(x, maxValue) strictly above the threshold, negativeSlope·(x − threshold) at or below it
 * (so the output at the threshold itself is 0, as in Keras).
 */
function rectify(x: Tensor, { maxValue, negativeSlope, threshold }: Rectification): Tensor {
  // The plain rectifier stays the relu op: the backend's own kernel, and a Relu node in ONNX.
  if (negativeSlope === 0 && threshold === 0) {
    const rectified = relu(x);
    return maxValue === null ? rectified : minimum(rectified, maxValue);
  }
  const above = maxValue === null ? x : minimum(x, maxValue);
  const below = mul(threshold === 0 ? x : sub(x, threshold), negativeSlope);
  return where(greater(x, threshold), above, below);
}

const NON_NEGATIVE_OR_NULL: Requirement = ['a non-negative number (or null for no limit)', NON_NEGATIVE[1]];

export interface ReLUConfig extends LayerConfig {
  /** The largest output; null (the default) for none. */
  maxValue?: number | null;
  /** The slope below the threshold. Default 0. */
  negativeSlope?: number;
  /** Inputs at or below it take the negative slope. Default 0. */
  threshold?: number;
}

/**
 * Keras's ReLU layer: min(x, maxValue) for x above the threshold, negativeSlope·(x − threshold)
 * otherwise. `new ReLU()` is max(x, 0); `new ReLU({maxValue: 6})` is relu6.
 */
export class ReLU extends SameShapeLayer {
  static override readonly className = 'ReLU';
  static override readonly options: OptionList = { maxValue: true, negativeSlope: true, threshold: true } satisfies OwnOptions<ReLUConfig, LayerConfig>;
  readonly maxValue: number | null;
  readonly negativeSlope: number;
  readonly threshold: number;

  constructor(config: ReLUConfig = {}) {
    super(config);
    this.maxValue = config.maxValue == null ? null : numberArgument('ReLU', 'maxValue', config.maxValue, NON_NEGATIVE_OR_NULL);
    this.negativeSlope = numberArgument('ReLU', 'negativeSlope', config.negativeSlope ?? 0, NON_NEGATIVE);
    // Keras 3 documents threshold >= 0; below 0 its own formulas disagree about clipping at 0.
    this.threshold = numberArgument('ReLU', 'threshold', config.threshold ?? 0, NON_NEGATIVE);
  }

  override call(inputs: Tensor): Tensor {
    return rectify(inputs, this);
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), maxValue: this.maxValue, negativeSlope: this.negativeSlope, threshold: this.threshold };
  }
}
registerClass(ReLU as LayerClass);

export interface LeakyReLUConfig extends LayerConfig {
  /** The slope for negative inputs. Default 0.3, as in Keras 3. */
  negativeSlope?: number;
}

/** Keras's LeakyReLU layer: x for x >= 0, negativeSlope·x below. */
export class LeakyReLU extends SameShapeLayer {
  static override readonly className = 'LeakyReLU';
  static override readonly options: OptionList = { negativeSlope: true } satisfies OwnOptions<LeakyReLUConfig, LayerConfig>;
  readonly negativeSlope: number;

  constructor(config: LeakyReLUConfig = {}) {
    super(config);
    this.negativeSlope = numberArgument('LeakyReLU', 'negativeSlope', config.negativeSlope ?? 0.3, NON_NEGATIVE);
  }

  override call(inputs: Tensor): Tensor {
    return rectify(inputs, { maxValue: null, negativeSlope: this.negativeSlope, threshold: 0 });
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), negativeSlope: this.negativeSlope };
  }
}
registerClass(LeakyReLU as LayerClass);
