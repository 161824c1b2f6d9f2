// Public exports of this area; re-exported by src/index.ts.
export { Dataset, type ShuffleOptions, type BatchOptions } from './dataset.js';
export type { DatasetElement } from './structure.js';
export type { ArrayElement, Tensorized } from './from-array.js';
export type { IteratorFactory } from './generator.js';
