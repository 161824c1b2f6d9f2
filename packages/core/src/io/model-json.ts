import type { ConfigDict } from '../layers/layer.js';
import type { SymbolicShape } from '../layers/symbolic-shape.js';
import type { LossConfig } from '../losses/index.js';
import type { MetricConfig } from '../metrics/index.js';
import type { OptimizerSettings } from '../optimizers/index.js';
import type { PerOutput } from '../models/compile.js';
import { isPlainObject } from '../util/plain-object.js';
import { describeJson, parseJson } from './json-file.js';
import type { WeightsManifest } from './weights-codec.js';

export const MODEL_FILE = 'model.json';

/** What model.json holds. */
export interface ModelJson {
  format: 'perceptron-model';
  formatVersion: 1;
  className: string;
  config: ConfigDict;
  /** The input shape the weights were built for (batch null); null when the model never ran. */
  buildInputShape: SymbolicShape | null;
  compileConfig: CompileConfig | null;
  /** `path` is a file name in the same folder or store. */
  weights: { path: string; manifest: WeightsManifest };
}

/** A loss or metric as saved: its class and its settings (name included). */
export interface SavedObject {
  className: string;
  config: LossConfig & MetricConfig;
}

/** compile's arguments as saved, in the forms `compile` takes them (see CompileArgs). */
export interface CompileConfig {
  optimizer: { className: string; config: OptimizerSettings };
  /** One loss, or one per output (a list, or an object keyed by output name; null: untrained). */
  loss: SavedObject | PerOutput<SavedObject | null>;
  lossWeights?: PerOutput<number>;
  /**
   * A list, or one entry per output as compile takes them. Files written before metrics kept
   * their settings hold only their names.
   */
  metrics: PerOutput<SavedObject | string | SavedObject[] | null>;
  /** Absent in files written before weighted metrics existed. */
  weightedMetrics?: PerOutput<SavedObject | SavedObject[] | null>;
  /** Absent when 1 (and in files written before it existed). */
  stepsPerExecution?: number;
}

const isListOrObject = (v: unknown): boolean => Array.isArray(v) || isPlainObject(v);
const isShape = (v: unknown): boolean => Array.isArray(v) && v.every((d) => d === null || Number.isInteger(d));
const isFileName = (v: unknown): boolean => typeof v === 'string' && /^[^/\\]+$/.test(v) && v !== '.' && v !== '..';

/** Each field loadModel reads: what it must be, and the test. */
const FIELDS: readonly [field: keyof ModelJson, expected: string, holds: (value: unknown) => boolean][] = [
  ['format', '"perceptron-model"', (v) => v === 'perceptron-model'],
  ['className', 'a class name', (v) => typeof v === 'string'],
  ['config', 'an object', isPlainObject],
  ['buildInputShape', 'a shape or null', (v) => v === null || isShape(v)],
  ['compileConfig', 'null or {optimizer, loss, metrics}', (v) => v === null || (isPlainObject(v) && isPlainObject(v.optimizer) && isListOrObject(v.loss) && isListOrObject(v.metrics) && (v.weightedMetrics === undefined || isListOrObject(v.weightedMetrics)))],
  ['weights', '{path: a file name, manifest: an object}', (v) => isPlainObject(v) && isFileName(v.path) && isPlainObject(v.manifest)],
];

/**
 * Parses model.json and checks every field before anything is built from it, so a damaged or
 * foreign file is an error naming the file, the field, what it must be and what it is, rather
 * than a TypeError from deep inside deserialization.
 */
export function readModelJson(bytes: Uint8Array, file: string): ModelJson {
  const json = parseJson(bytes, file);
  function fail(problem: string): never {
    throw new Error(`loadModel: '${file}' is not a valid Perceptron model file: ${problem}`);
  }
  if (!isPlainObject(json)) fail(`expected a JSON object, got ${describeJson(json)}`);
  for (const [field, expected, holds] of FIELDS) {
    if (!holds(json[field])) fail(`'${field}' must be ${expected}, got ${describeJson(json[field])}`);
  }
  return json as unknown as ModelJson;
}
