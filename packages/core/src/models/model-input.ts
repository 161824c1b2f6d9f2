import type { Dataset } from '../data/index.js';
import { dispose } from '../engine/memory.js';
import { Tensor } from '../tensor/tensor.js';
import { isPlainObject } from '../util/plain-object.js';
import { formatShape, shapesEqual } from '../util/shape.js';
import type { Layer } from '../layers/layer.js';

/** Data `fit` / `evaluate` take instead of (x, y) tensors: a Dataset of [x, y] or [x, y, sampleWeight] batches. */
export type BatchDataset = Dataset<readonly [Tensor, Tensor]> | Dataset<[Tensor, Tensor]> | Dataset<unknown>;

/** Tensors keyed by the names of a functional model's inputs or outputs, as Keras's dict x and y. */
export type NamedTensors = { readonly [name: string]: Tensor };

/**
 * What a model takes as x: one tensor, or for a model of several inputs (a functional model made
 * with `inputs: [a, b]`) a list of them in order or an object keyed by input name, as Keras's x.
 * Samples run along the first dimension of each.
 */
export type ModelInput = Tensor | readonly Tensor[] | NamedTensors;

/** What a model is trained towards, as Keras's y: one tensor, or one per output (a list, or keyed by output name). */
export type ModelTarget = ModelInput;

/** A weight per sample, as Keras's sample_weight: one tensor for every output, or one per output (a list, or keyed by output name). */
export type SampleWeight = ModelInput;

function isNamedTensors(x: unknown): x is NamedTensors {
  return isPlainObject(x) && Object.keys(x).length > 0 && Object.values(x).every((t) => t instanceof Tensor);
}

/** Whether `x` is a tensor, a non-empty list of tensors, or tensors keyed by name (x or y). */
export function isTensorOrList(x: unknown): x is ModelInput {
  return x instanceof Tensor || (Array.isArray(x) && x.length > 0 && x.every((t) => t instanceof Tensor)) || isNamedTensors(x);
}

export function tensorsOf(x: ModelInput): readonly Tensor[] {
  if (x instanceof Tensor) return [x];
  return Array.isArray(x) ? x : Object.values(x);
}

/**
 * x or y with tensors keyed by name turned into the list, in the order of `names` (the model's
 * inputs or outputs, null when it has no names); a tensor or list is returned as it is. Every
 * name must be given, and no other.
 */
export function orderedByName(caller: string, role: 'x' | 'y' | 'sampleWeight', value: ModelInput, names: readonly string[] | null): Tensor | readonly Tensor[] {
  if (value instanceof Tensor || Array.isArray(value)) return value as Tensor | readonly Tensor[];
  const what = role === 'x' ? 'inputs' : 'outputs';
  const keys = Object.keys(value);
  if (!names) throw new Error(`${caller}: ${role} is keyed by name (${keys.map((k) => `'${k}'`).join(', ')}), but the model's ${what} have no names (a functional model's have); give ${role} as a list in order`);
  const named = value as NamedTensors;
  if (keys.length !== names.length || names.some((name) => !(name in named))) {
    throw new Error(`${caller}: expected ${role} keyed by the model's ${what} ${names.map((n) => `'${n}'`).join(', ')}, got keys ${keys.map((k) => `'${k}'`).join(', ')}`);
  }
  return names.length === 1 ? named[names[0]!]! : names.map((name) => named[name]!);
}

/** The number of samples: the first dimension (of each tensor, which agree once checked). */
export function samplesIn(x: ModelInput): number {
  return tensorsOf(x)[0]!.shape[0]!;
}

/** `rows` applied to each tensor of x, keeping its form. */
export function mapTensors(x: ModelInput, rows: (t: Tensor) => Tensor): ModelInput {
  if (x instanceof Tensor) return rows(x);
  if (Array.isArray(x)) return (x as readonly Tensor[]).map(rows);
  return Object.fromEntries(Object.entries(x).map(([name, t]) => [name, rows(t)]));
}

/** `[32,784]`, `[[32,784], [32,10]]` for a list, `{top: [32,392], bottom: [32,392]}` by name. */
export function describeTensors(x: ModelInput): string {
  if (x instanceof Tensor) return formatShape(x.shape);
  if (Array.isArray(x)) return `[${(x as readonly Tensor[]).map((t) => formatShape(t.shape)).join(', ')}]`;
  return `{${Object.entries(x).map(([name, t]) => `${name}: ${formatShape(t.shape)}`).join(', ')}}`;
}

/** Frees every tensor of x except those in `kept`. */
export function disposeTensors(x: ModelInput, kept: readonly Tensor[] = []): void {
  dispose(tensorsOf(x).filter((t) => !kept.includes(t)));
}

/**
 * x, checked: a live tensor, or a non-empty list of them, each with a batch dimension, all with
 * as many samples. `alternative` names what else the caller takes (a Dataset), for the error.
 */
export function checkModelInput(caller: string, x: unknown, alternative?: string): ModelInput {
  if (!isTensorOrList(x)) {
    const given = Array.isArray(x) ? (x.length === 0 ? 'an empty list' : 'a list with non-tensors') : typeof x;
    throw new Error(`${caller}: expected x to be a Tensor (a list of Tensors, or Tensors keyed by input name, for a model of several inputs)${alternative ? ` or ${alternative}` : ''}, got ${given}`);
  }
  const tensors = tensorsOf(x);
  for (const t of tensors) t.assertUsable(caller);
  if (tensors.some((t) => t.rank === 0)) throw new Error(`${caller}: expected x with a batch dimension, got a scalar`);
  if (tensors.some((t) => t.shape[0] !== tensors[0]!.shape[0])) {
    throw new Error(`${caller}: expected the tensors of x to have the same number of samples, got ${describeTensors(x)}`);
  }
  return x;
}

/**
 * Once built, a model takes only inputs with the feature dimensions it was built for. (A model
 * of several inputs checks each in its InputLayer; one of unknown length has no build shape.)
 */
export function checkFeatures(caller: string, model: Layer, x: Tensor | readonly Tensor[]): void {
  const declared = model.batchInputShape;
  const built = model.buildInputShape ?? (declared?.every((d, i) => i === 0 || d !== null) ? declared as number[] : null);
  if (!built || !(x instanceof Tensor)) return;
  if (x.rank !== built.length || !shapesEqual(x.shape.slice(1), built.slice(1))) {
    throw new Error(`${caller}: model '${model.name}' expects inputs of shape ${formatShape([-1, ...built.slice(1)])} (-1: any batch size), got ${formatShape(x.shape)}`);
  }
}
