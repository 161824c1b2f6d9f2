import { lookupByName, nameKey, type NamedEntry } from '../util/named-registry.js';
import { BinaryCrossentropy, CategoricalCrossentropy, SparseCategoricalCrossentropy } from '../losses/crossentropy.js';
import { Loss } from '../losses/loss.js';
import { Accuracy, BinaryAccuracy, CategoricalAccuracy, SparseCategoricalAccuracy } from './accuracy.js';
import { Mean } from './mean.js';
import { Metric } from './metric.js';
import { MeanAbsoluteErrorMetric, MeanSquaredErrorMetric, RootMeanSquaredErrorMetric } from './regression.js';

type Named = { name?: string };
const METRICS: readonly [string, readonly string[], (config: Named) => Metric][] = [
  ['accuracy', ['acc'], (c) => new Accuracy(c)],
  ['binaryAccuracy', [], (c) => new BinaryAccuracy(c)],
  ['categoricalAccuracy', [], (c) => new CategoricalAccuracy(c)],
  ['sparseCategoricalAccuracy', [], (c) => new SparseCategoricalAccuracy(c)],
  ['meanAbsoluteError', ['mae'], (c) => new MeanAbsoluteErrorMetric(c)],
  ['meanSquaredError', ['mse'], (c) => new MeanSquaredErrorMetric(c)],
  ['rootMeanSquaredError', ['rmse'], (c) => new RootMeanSquaredErrorMetric(c)],
  ['mean', [], (c) => new Mean(c)],
];

function entries(config: Named): NamedEntry<Metric>[] {
  return METRICS.map(([name, aliases, create]) => ({ name, aliases, create: () => create(config) }));
}

/**
 * A new metric for a name ('accuracy', 'acc', 'sparse_categorical_accuracy',
 * 'sparseCategoricalAccuracy', 'mse', ...) with its Keras default name, or the Metric itself.
 * 'accuracy' here is exact-match Accuracy; `model.compile` should use `resolveMetric`.
 */
export function getMetric(identifier: string | Metric): Metric {
  if (identifier instanceof Metric) return identifier;
  if (typeof identifier !== 'string') throw new Error(`getMetric: expected a metric name or a Metric, got ${JSON.stringify(identifier)}`);
  return lookupByName('getMetric', 'metric', identifier, entries({}));
}

type AccuracyKind = 'binary' | 'categorical' | 'sparse' | 'exact';

function accuracyKindFor(loss: string | Loss | undefined): AccuracyKind {
  if (loss instanceof BinaryCrossentropy) return 'binary';
  if (loss instanceof SparseCategoricalCrossentropy) return 'sparse';
  if (loss instanceof CategoricalCrossentropy) return 'categorical';
  if (loss instanceof Loss || loss === undefined) return 'exact';
  const key = nameKey(loss);
  if (key === 'binarycrossentropy' || key === 'bce') return 'binary';
  if (key === 'sparsecategoricalcrossentropy') return 'sparse';
  if (key === 'categoricalcrossentropy') return 'categorical';
  return 'exact';
}

/**
 * The metric `model.compile(..., {metrics: [identifier]})` tracks. As in Keras, 'accuracy' /
 * 'acc' become the variant that fits the loss (BinaryAccuracy for binary cross-entropy,
 * SparseCategoricalAccuracy for sparse categorical, CategoricalAccuracy for categorical,
 * exact-match Accuracy otherwise). A metric given by a string is named by that string, so logs
 * and `metricsNames` show what the user wrote ('acc', 'mse'); a Metric object is returned as is.
 */
export function resolveMetric(identifier: string | Metric, loss?: string | Loss): Metric {
  if (identifier instanceof Metric) return identifier;
  if (typeof identifier !== 'string') throw new Error(`resolveMetric: expected a metric name or a Metric, got ${JSON.stringify(identifier)}`);
  const config = { name: identifier };
  if (nameKey(identifier) === 'accuracy' || nameKey(identifier) === 'acc') {
    switch (accuracyKindFor(loss)) {
      case 'binary': return new BinaryAccuracy(config);
      case 'sparse': return new SparseCategoricalAccuracy(config);
      case 'categorical': return new CategoricalAccuracy(config);
      case 'exact': return new Accuracy(config);
    }
  }
  return lookupByName('resolveMetric', 'metric', identifier, entries(config));
}
