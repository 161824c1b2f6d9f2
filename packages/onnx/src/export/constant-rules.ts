import type { DataArray, Tensor } from '@perceptron/core';

/** The ops standing for constants made by rule (`ruleOf`), which read the first input for its batch size only. */
export const CONSTANT_RULES = ['fill', 'range'] as const;
export type ConstantRule = (typeof CONSTANT_RULES)[number];

/**
 * A constant made by rule, as an op that the graph makes at its shape (batch-constants.ts): the
 * shape may follow the batch, where a constant's values could not. 'fill', a float constant of one
 * value repeated (the zeros a recurrent layer starts its states at, of the batch's size); 'range',
 * an int32 one of start + i·step, step not 0 (Equalization's offsets of each image's histogram).
 * Each reads the first input only for the batch size. A constant of one entry cannot hold the
 * batch and stays a constant. So does an int32 or bool one of one value: it may be what a layer
 * computed on the host from the dummy inputs (a lookup's indices of all-zero ids, one value
 * repeated too), which no graph op reproduces.
 */
export function ruleOf(t: Tensor, values: DataArray): { name: ConstantRule; attrs: Record<string, number> } | null {
  if (values.length < 2) return null;
  const [start, step] = [Number(values[0]), Number(values[1]) - Number(values[0])];
  const follows = (rule: (i: number) => number) => Array.prototype.every.call(values, (v: number, i: number) => Object.is(v, rule(i)));
  if (t.dtype === 'float32' && follows(() => start)) return { name: 'fill', attrs: { value: start } };
  if (t.dtype === 'int32' && step !== 0 && follows((i) => start + i * step)) return { name: 'range', attrs: { start, step } };
  return null;
}
