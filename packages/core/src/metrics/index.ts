// Public exports of this area; re-exported by src/index.ts.
// Metric classes that share a Keras name with a loss class carry a `Metric` suffix
// (MeanSquaredErrorMetric vs the MeanSquaredError loss, BinaryCrossentropyMetric vs the
// BinaryCrossentropy loss, HingeMetric vs Hinge); their `name` is still the Keras one.
export { Metric, type MetricConfig } from './metric.js';
export { WeightedMean, Mean, MeanMetricWrapper, type MetricFn } from './mean.js';
export {
  Accuracy, BinaryAccuracy, CategoricalAccuracy, MatchedAccuracy, SparseCategoricalAccuracy,
  accuracy, binaryAccuracy, categoricalAccuracy, matchedAccuracy, sparseCategoricalAccuracy,
} from './accuracy.js';
export { MeanAbsoluteErrorMetric, MeanSquaredErrorMetric, RootMeanSquaredErrorMetric } from './regression.js';
export {
  TopKCategoricalAccuracy, SparseTopKCategoricalAccuracy, type TopKConfig,
  topKCategoricalAccuracy, sparseTopKCategoricalAccuracy,
} from './top-k.js';
export {
  Precision, Recall, TruePositives, FalsePositives, TrueNegatives, FalseNegatives,
  type ThresholdConfig, type PrecisionRecallConfig,
} from './confusion-metrics.js';
export { AUC, type AucConfig } from './auc.js';
export type { Curve, SummationMethod } from './auc-area.js';
export {
  BinaryCrossentropyMetric, CategoricalCrossentropyMetric, SparseCategoricalCrossentropyMetric, type CrossentropyMetricConfig, type SmoothedCrossentropyMetricConfig,
} from './probabilistic.js';
export {
  MeanAbsolutePercentageErrorMetric, MeanSquaredLogarithmicErrorMetric, CosineSimilarityMetric, LogCoshError, KLDivergenceMetric,
  PoissonMetric, HingeMetric, SquaredHingeMetric, CategoricalHingeMetric, type CosineSimilarityMetricConfig,
} from './loss-metrics.js';
export { R2Score, type R2ScoreConfig, type ClassAggregation } from './r2-score.js';
export { F1Score, FBetaScore, type F1ScoreConfig, type FBetaScoreConfig, type FScoreAverage } from './f-score.js';
export {
  PrecisionAtRecall, RecallAtPrecision, SensitivityAtSpecificity, SpecificityAtSensitivity,
  type PrecisionAtRecallConfig, type RecallAtPrecisionConfig, type SensitivityAtSpecificityConfig, type SpecificityAtSensitivityConfig,
} from './sensitivity-specificity.js';
export {
  IoU, MeanIoU, BinaryIoU, OneHotIoU, OneHotMeanIoU,
  type IoUConfig, type MeanIoUConfig, type BinaryIoUConfig, type OneHotIoUConfig, type OneHotMeanIoUConfig,
} from './iou.js';
export { getMetric, resolveMetric, type MetricIdentifier } from './get-metric.js';
