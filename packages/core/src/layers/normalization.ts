import { dispose, tidy } from '../engine/memory.js';
import { add, div, maximum, mul, sub } from '../ops/arithmetic.js';
import { broadcastTo } from '../ops/broadcast-to.js';
import { cast } from '../ops/cast.js';
import { tensor } from '../ops/convert.js';
import { reshape } from '../ops/reshape.js';
import { sqrt } from '../ops/unary.js';
import { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import type { Shape } from '../types.js';
import { formatShape } from '../util/shape.js';
import { adaptBatches, type AdaptData } from './adapt-data.js';
import type { ConfigDict, LayerConfig } from './layer.js';
import { centeredMoments, featureAxes } from './normalize.js';
import { registerClass, type LayerClass } from './registry.js';
import { SameShapeLayer } from './same-shape-layer.js';
import type { OptionList, OwnOptions } from './layer-options.js';

/** Keras's epsilon: the smallest standard deviation divided by, so a constant feature gives 0, not NaN. */
const EPSILON = 1e-7;

export interface NormalizationConfig extends LayerConfig {
  /** The axis or axes with their own mean and variance per index; null: one of each for every value. Default -1 (per feature). */
  axis?: number | readonly number[] | null;
  /** The mean to normalize with, given with `variance` instead of learnt by `adapt`: one number, or values broadcasting to the kept axes' shape. */
  mean?: number | readonly number[];
  /** The variance to normalize with, given with `mean` instead of learnt by `adapt`: one number, or values broadcasting to the kept axes' shape. The layer divides by max(√variance, 1e-7). */
  variance?: number | readonly number[];
  /** Undo the normalization instead: mean + x·√variance. Default false. */
  invert?: boolean;
}

/** Running statistics over batches, combined as Chan et al.'s parallel algorithm does, in float64. */
interface Statistics {
  count: number;
  mean: Float64Array;
  variance: Float64Array;
}

/**
 * Keras's Normalization: (x − mean) / √variance per index of `axis`, with the mean and variance
 * given or learnt from data by `adapt(data)` before training (Keras's preprocessing recipe:
 * `layer.adapt(xTrain)`, then the layer first in the model). Both are non-trainable weights, so
 * they are saved with the model and exported to ONNX as constants. Until adapted they are 0 and
 * 1, and the layer passes values through.
 */
export class Normalization extends SameShapeLayer {
  static override readonly className = 'Normalization';
  static override readonly options: OptionList = { axis: true, mean: true, variance: true, invert: true } satisfies OwnOptions<NormalizationConfig, LayerConfig>;
  readonly axis: number | number[] | null;
  readonly invert: boolean;
  readonly givenMean: number | number[] | null;
  readonly givenVariance: number | number[] | null;
  mean: Variable | null = null;
  variance: Variable | null = null;
  /** The input's axes the statistics are kept for, once built. */
  #keptAxes: number[] = [];
  /** The statistics' shape with 1s for the reduced axes, to broadcast against the inputs. */
  #broadcastShape: number[] = [];

  constructor(config: NormalizationConfig = {}) {
    super(config);
    const axis = config.axis === undefined ? -1 : config.axis;
    const validAxis = axis === null || Number.isInteger(axis) || (Array.isArray(axis) && axis.length > 0 && axis.every((a) => Number.isInteger(a)));
    if (!validAxis) throw new Error(`Normalization: axis must be an integer, a non-empty array of integers or null, got ${JSON.stringify(config.axis)}`);
    this.axis = axis === null || typeof axis === 'number' ? axis : [...axis];
    if ((config.mean === undefined) !== (config.variance === undefined)) {
      throw new Error(`Normalization: mean and variance are given together or not at all, got mean ${JSON.stringify(config.mean)} and variance ${JSON.stringify(config.variance)}`);
    }
    this.givenMean = config.mean === undefined ? null : typeof config.mean === 'number' ? config.mean : [...config.mean];
    this.givenVariance = config.variance === undefined ? null : typeof config.variance === 'number' ? config.variance : [...config.variance];
    this.invert = config.invert ?? false;
  }

  override build(inputShape: Shape): void {
    this.#keptAxes = this.axis === null ? [] : featureAxes(this.label, this.axis, inputShape);
    this.#broadcastShape = inputShape.map((d, i) => (this.#keptAxes.includes(i) ? d : 1));
    const shape = this.#keptAxes.map((a) => inputShape[a]!);
    this.mean = this.addWeight('mean', shape, 'zeros', { trainable: false });
    this.variance = this.addWeight('variance', shape, 'ones', { trainable: false });
    if (this.givenMean === null) return;
    for (const [weight, given, name] of [[this.mean, this.givenMean, 'mean'], [this.variance, this.givenVariance!, 'variance']] as const) {
      const values = typeof given === 'number' ? [given] : given;
      if (values.length !== 1 && values.length !== shape.at(-1)) {
        throw new Error(`${this.label}: the ${values.length} values of ${name} do not broadcast to the kept axes' shape ${formatShape(shape)}`);
      }
      tidy(() => weight.assign(broadcastTo(values.length === 1 ? tensor(values[0]!) : tensor(values, [values.length]), shape)));
    }
  }

  override call(inputs: Tensor): Tensor {
    const x = inputs.dtype === 'float32' ? inputs : cast(inputs, 'float32');
    const mean = reshape(this.mean!, this.#broadcastShape);
    const deviation = maximum(sqrt(reshape(this.variance!, this.#broadcastShape)), EPSILON);
    return this.invert ? add(mean, mul(x, deviation)) : div(sub(x, mean), deviation);
  }

  /**
   * Learns the mean and (biased) variance of `data` over every axis but the kept ones, batch by
   * batch, and stores them in the layer's weights; builds the layer from the first batch if need
   * be. A dataset must yield batches, as Keras's adapt expects.
   */
  async adapt(data: AdaptData): Promise<void> {
    if (this.givenMean !== null) throw new Error(`${this.label}: adapt() would replace the mean and variance it was given; make the layer without them to learn them`);
    let statistics: Statistics | null = null;
    for await (const batch of adaptBatches(this.label, data)) {
      if (!this.built) this.ensureBuilt(batch.shape);
      else this.#checkKeptDims(batch.shape);
      statistics = combined(statistics, this.#batchStatistics(batch));
    }
    // adaptBatches refuses data without a batch, so there are statistics here.
    const { mean, variance } = statistics!;
    tidy(() => {
      this.mean!.assign(tensor(Float32Array.from(mean), this.mean!.shape));
      this.variance!.assign(tensor(Float32Array.from(variance), this.variance!.shape));
    });
  }

  /** A batch's count, mean and variance along the kept axes, each statistic read back to float64. */
  #batchStatistics(batch: Tensor): Statistics {
    const reduced = batch.shape.map((_, i) => i).filter((i) => !this.#keptAxes.includes(i));
    const moments = tidy(() => {
      const { mean, variance } = centeredMoments(cast(batch, 'float32'), reduced);
      return [mean, variance];
    });
    const [mean, variance] = moments.map((t) => Float64Array.from(t.dataSync()));
    dispose(moments);
    return { count: reduced.reduce((n, a) => n * batch.shape[a]!, 1), mean: mean!, variance: variance! };
  }

  #checkKeptDims(shape: Shape): void {
    const built = this.buildInputShape!;
    if (shape.length !== built.length || this.#keptAxes.some((a) => shape[a] !== built[a])) {
      throw new Error(`${this.label}: adapt() got a batch of shape ${formatShape(shape)}, but the layer keeps axes ${JSON.stringify(this.#keptAxes)} of shape ${formatShape(built)}`);
    }
  }

  override getConfig(): ConfigDict {
    const config: ConfigDict = { ...super.getConfig(), axis: this.axis, invert: this.invert };
    if (this.givenMean !== null) Object.assign(config, { mean: this.givenMean, variance: this.givenVariance });
    return config;
  }
}
registerClass(Normalization as LayerClass);

/**
 * The statistics of two sets together: the mean weighted by the counts, and the variance as the
 * weighted variances plus each set's squared distance from the joint mean (lack-of-fit).
 */
function combined(total: Statistics | null, batch: Statistics): Statistics {
  if (total === null) return batch;
  const count = total.count + batch.count;
  const [wTotal, wBatch] = [total.count / count, batch.count / count];
  const mean = total.mean.map((m, i) => m * wTotal + batch.mean[i]! * wBatch);
  const variance = total.variance.map((v, i) => (v + (total.mean[i]! - mean[i]!) ** 2) * wTotal + (batch.variance[i]! + (batch.mean[i]! - mean[i]!) ** 2) * wBatch);
  return { count, mean, variance };
}
