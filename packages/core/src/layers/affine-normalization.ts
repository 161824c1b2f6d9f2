import type { InitializerIdentifier } from '../initializers/index.js';
import { reshape } from '../ops/reshape.js';
import { optionalRegularizer } from '../regularizers/get-regularizer.js';
import { serializeRegularizer, type Regularizer, type RegularizerIdentifier } from '../regularizers/index.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import type { Shape } from '../types.js';
import { serializeInitializer } from './initializer-config.js';
import { Layer, type ConfigDict, type LayerConfig } from './layer.js';
import { checkWeightAxes, normalizeCentered, weightBroadcastShape } from './normalize.js';
import { classNameOf, type LayerClass } from './registry.js';
import type { SymbolicShape } from './symbolic-shape.js';
import type { OptionList, OwnOptions } from './layer-options.js';

/** The settings BatchNormalization, LayerNormalization and GroupNormalization share. */
export interface AffineNormalizationConfig extends LayerConfig {
  /** Added to the variance before its square root, so a constant input does not divide by 0. Default 1e-3. */
  epsilon?: number;
  /** Add the learned offset beta. Default true. */
  center?: boolean;
  /** Multiply by the learned factor gamma. Default true (false when the next layer is linear anyway). */
  scale?: boolean;
  /** Default 'zeros'. */
  betaInitializer?: InitializerIdentifier;
  /** Default 'ones'. */
  gammaInitializer?: InitializerIdentifier;
  /** A penalty on beta (with `center`) added to the training loss ('l2', new L2({l2: 1e-4}), ...); default none. */
  betaRegularizer?: RegularizerIdentifier | null;
  /** A penalty on gamma (with `scale`) added to the training loss ('l2', new L2({l2: 1e-4}), ...); default none. */
  gammaRegularizer?: RegularizerIdentifier | null;
}

/**
 * A layer that normalizes its input, then scales it by gamma and shifts it by beta, both spanning
 * some input axes (the channel for BatchNormalization and GroupNormalization, the normalized
 * axes for LayerNormalization). Subclasses pick those axes in `build` and compute the statistics.
 */
export abstract class AffineNormalization extends Layer {
  static override readonly options: OptionList = { epsilon: true, center: true, scale: true, betaInitializer: true, gammaInitializer: true, betaRegularizer: true, gammaRegularizer: true } satisfies OwnOptions<AffineNormalizationConfig, LayerConfig>;
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly betaInitializer: InitializerIdentifier;
  readonly gammaInitializer: InitializerIdentifier;
  readonly betaRegularizer: Regularizer | null;
  readonly gammaRegularizer: Regularizer | null;
  gamma: Variable | null = null;
  beta: Variable | null = null;
  /** The input axes gamma and beta span, non-negative and sorted, known once built. */
  protected weightAxes: number[] = [];
  /** The shape that lines a per-axis weight up with the input, or null when it already does. */
  #broadcastShape: number[] | null = null;

  constructor(config: AffineNormalizationConfig) {
    super(config);
    const layer = classNameOf(new.target as unknown as LayerClass);
    const epsilon = config.epsilon ?? 1e-3;
    if (typeof epsilon !== 'number' || !(epsilon > 0) || !Number.isFinite(epsilon)) {
      throw new Error(`${layer}: epsilon must be a finite number > 0, got ${JSON.stringify(config.epsilon)}`);
    }
    this.epsilon = epsilon;
    this.center = config.center ?? true;
    this.scale = config.scale ?? true;
    this.betaInitializer = config.betaInitializer ?? 'zeros';
    this.gammaInitializer = config.gammaInitializer ?? 'ones';
    this.betaRegularizer = optionalRegularizer(config.betaRegularizer);
    this.gammaRegularizer = optionalRegularizer(config.gammaRegularizer);
  }

  /** Creates gamma then beta (as Keras orders them) over the input's dimensions at `axes`. */
  protected addGammaAndBeta(inputShape: Shape, axes: number[]): void {
    this.weightAxes = axes;
    this.#broadcastShape = weightBroadcastShape(axes, inputShape);
    const shape = axes.map((a) => inputShape[a]!);
    if (this.scale) this.gamma = this.addWeight('gamma', shape, this.gammaInitializer, { regularizer: this.gammaRegularizer });
    if (this.center) this.beta = this.addWeight('beta', shape, this.betaInitializer, { regularizer: this.betaRegularizer });
  }

  /** The input's rank and its dimensions along the weights' axes must be those it was built for. */
  protected override checkBuiltInputShape(shape: Shape, built: Shape): void {
    checkWeightAxes(this.label, this.weightAxes, shape, built);
  }

  /** A tensor shaped like the weights (gamma, a moving statistic), shaped to broadcast against the input. */
  protected alongWeightAxes(weight: Tensor): Tensor {
    return this.#broadcastShape ? reshape(weight, this.#broadcastShape) : weight;
  }

  /** (x − mean) / sqrt(variance + epsilon) · gamma + beta, from `centered` = x − mean. */
  protected normalize(centered: Tensor, variance: Tensor): Tensor {
    const gamma = this.gamma && this.alongWeightAxes(this.gamma);
    const beta = this.beta && this.alongWeightAxes(this.beta);
    return normalizeCentered(centered, variance, this.epsilon, gamma, beta);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return inputShape;
  }

  override getConfig(): ConfigDict {
    return {
      ...super.getConfig(),
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      betaInitializer: serializeInitializer(this.betaInitializer),
      gammaInitializer: serializeInitializer(this.gammaInitializer),
      betaRegularizer: serializeRegularizer(this.betaRegularizer),
      gammaRegularizer: serializeRegularizer(this.gammaRegularizer),
    };
  }
}
