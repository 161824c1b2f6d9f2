import { builtIns, nameKey, resolveIdentifier } from '../util/named-registry.js';
import { Accuracy, BinaryAccuracy, CategoricalAccuracy, MatchedAccuracy, SparseCategoricalAccuracy } from './accuracy.js';
import { AUC } from './auc.js';
import { FalseNegatives, FalsePositives, Precision, Recall, TrueNegatives, TruePositives } from './confusion-metrics.js';
import { F1Score, FBetaScore } from './f-score.js';
import {
  BinaryIoU, IoU, MeanIoU, OneHotIoU, OneHotMeanIoU, type IoUConfig, type MeanIoUConfig, type OneHotIoUConfig, type OneHotMeanIoUConfig,
} from './iou.js';
import {
  CategoricalHingeMetric, CosineSimilarityMetric, HingeMetric, KLDivergenceMetric, LogCoshError, MeanAbsolutePercentageErrorMetric,
  MeanSquaredLogarithmicErrorMetric, PoissonMetric, SquaredHingeMetric,
} from './loss-metrics.js';
import { Mean } from './mean.js';
import { Metric, type MetricConfig } from './metric.js';
import { BinaryCrossentropyMetric, CategoricalCrossentropyMetric, SparseCategoricalCrossentropyMetric } from './probabilistic.js';
import { R2Score } from './r2-score.js';
import { MeanAbsoluteErrorMetric, MeanSquaredErrorMetric, RootMeanSquaredErrorMetric } from './regression.js';
import {
  PrecisionAtRecall, RecallAtPrecision, SensitivityAtSpecificity, SpecificityAtSensitivity, type PrecisionAtRecallConfig,
  type RecallAtPrecisionConfig, type SensitivityAtSpecificityConfig, type SpecificityAtSensitivityConfig,
} from './sensitivity-specificity.js';
import { SparseTopKCategoricalAccuracy, TopKCategoricalAccuracy } from './top-k.js';

/** What `getMetric` accepts: a name, a Metric, or `{className, config}` as a saved model holds. */
export type MetricIdentifier = string | Metric | { className: string; config?: MetricConfig };

// Class names are aliases, so `{className, config}` finds its class; the `Metric` suffix of the
// regression, cross-entropy, hinge and probabilistic metrics is how their class names differ
// from the losses'. Keras 3's short names (keras.metrics.get) are all here: 'mse', 'mae',
// 'mape', 'msle', 'bce'; it has no 'logcosh' or 'kld'. The metrics with a required setting (IoU's numClasses, PrecisionAtRecall's
// recall, ...) are found by name too, and then ask for it, as Keras's do.
const FACTORIES = builtIns<Metric>('metric', [
  ['accuracy', ['acc'], (c) => new Accuracy(c)],
  ['matchedAccuracy', [], (c) => new MatchedAccuracy(c)],
  ['binaryAccuracy', [], (c) => new BinaryAccuracy(c)],
  ['categoricalAccuracy', [], (c) => new CategoricalAccuracy(c)],
  ['sparseCategoricalAccuracy', [], (c) => new SparseCategoricalAccuracy(c)],
  ['topKCategoricalAccuracy', [], (c) => new TopKCategoricalAccuracy(c)],
  ['sparseTopKCategoricalAccuracy', [], (c) => new SparseTopKCategoricalAccuracy(c)],
  ['precision', [], (c) => new Precision(c)],
  ['recall', [], (c) => new Recall(c)],
  ['truePositives', [], (c) => new TruePositives(c)],
  ['falsePositives', [], (c) => new FalsePositives(c)],
  ['trueNegatives', [], (c) => new TrueNegatives(c)],
  ['falseNegatives', [], (c) => new FalseNegatives(c)],
  ['auc', [], (c) => new AUC(c)],
  ['precisionAtRecall', [], (c) => new PrecisionAtRecall(c as unknown as PrecisionAtRecallConfig)],
  ['recallAtPrecision', [], (c) => new RecallAtPrecision(c as unknown as RecallAtPrecisionConfig)],
  ['sensitivityAtSpecificity', [], (c) => new SensitivityAtSpecificity(c as unknown as SensitivityAtSpecificityConfig)],
  ['specificityAtSensitivity', [], (c) => new SpecificityAtSensitivity(c as unknown as SpecificityAtSensitivityConfig)],
  ['f1Score', [], (c) => new F1Score(c)],
  ['fBetaScore', [], (c) => new FBetaScore(c)],
  ['iou', [], (c) => new IoU(c as unknown as IoUConfig)],
  ['meanIoU', [], (c) => new MeanIoU(c as unknown as MeanIoUConfig)],
  ['binaryIoU', [], (c) => new BinaryIoU(c)],
  ['oneHotIoU', [], (c) => new OneHotIoU(c as unknown as OneHotIoUConfig)],
  ['oneHotMeanIoU', [], (c) => new OneHotMeanIoU(c as unknown as OneHotMeanIoUConfig)],
  ['binaryCrossentropy', ['bce', 'BinaryCrossentropyMetric'], (c) => new BinaryCrossentropyMetric(c)],
  ['categoricalCrossentropy', ['CategoricalCrossentropyMetric'], (c) => new CategoricalCrossentropyMetric(c)],
  ['sparseCategoricalCrossentropy', ['SparseCategoricalCrossentropyMetric'], (c) => new SparseCategoricalCrossentropyMetric(c)],
  ['meanAbsoluteError', ['mae', 'MeanAbsoluteErrorMetric'], (c) => new MeanAbsoluteErrorMetric(c)],
  ['meanSquaredError', ['mse', 'MeanSquaredErrorMetric'], (c) => new MeanSquaredErrorMetric(c)],
  ['rootMeanSquaredError', ['rmse', 'RootMeanSquaredErrorMetric'], (c) => new RootMeanSquaredErrorMetric(c)],
  ['meanAbsolutePercentageError', ['mape', 'MeanAbsolutePercentageErrorMetric'], (c) => new MeanAbsolutePercentageErrorMetric(c)],
  ['meanSquaredLogarithmicError', ['msle', 'MeanSquaredLogarithmicErrorMetric'], (c) => new MeanSquaredLogarithmicErrorMetric(c)],
  ['cosineSimilarity', ['CosineSimilarityMetric'], (c) => new CosineSimilarityMetric(c)],
  ['logCoshError', [], (c) => new LogCoshError(c)],
  ['r2Score', [], (c) => new R2Score(c)],
  ['klDivergence', ['KLDivergenceMetric'], (c) => new KLDivergenceMetric(c)],
  ['poisson', ['PoissonMetric'], (c) => new PoissonMetric(c)],
  ['hinge', ['HingeMetric'], (c) => new HingeMetric(c)],
  ['squaredHinge', ['SquaredHingeMetric'], (c) => new SquaredHingeMetric(c)],
  ['categoricalHinge', ['CategoricalHingeMetric'], (c) => new CategoricalHingeMetric(c)],
  ['mean', [], (c) => new Mean(c)],
]);

const isMetric = (x: unknown): x is Metric => x instanceof Metric;

/**
 * A new metric for a name ('accuracy', 'acc', 'sparse_categorical_accuracy',
 * 'sparseCategoricalAccuracy', 'mse', ...) with its Keras default name, a metric rebuilt from
 * `{className, config}`, or the Metric itself. 'accuracy' here is exact-match Accuracy;
 * `model.compile` uses `resolveMetric`.
 */
export function getMetric(identifier: MetricIdentifier): Metric {
  return resolveIdentifier('getMetric', 'metric', identifier, isMetric, FACTORIES);
}

/**
 * The metric `model.compile(..., {metrics: [identifier]})` tracks. As in Keras 3, 'accuracy' /
 * 'acc' become MatchedAccuracy, which picks binary, sparse categorical or categorical accuracy
 * from the shapes of each batch. A metric given by a string is named by that string, so logs and
 * `metricsNames` show what the user wrote ('acc', 'mse'); a Metric object is returned as is.
 */
export function resolveMetric(identifier: MetricIdentifier): Metric {
  if (typeof identifier !== 'string') return resolveIdentifier('resolveMetric', 'metric', identifier, isMetric, FACTORIES);
  const config = { name: identifier };
  const key = nameKey(identifier);
  if (key === 'accuracy' || key === 'acc') return new MatchedAccuracy(config);
  return resolveIdentifier('resolveMetric', 'metric', { className: identifier, config }, isMetric, FACTORIES);
}
