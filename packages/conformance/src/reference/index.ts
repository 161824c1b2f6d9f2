// The float64 oracle: tiny NumPy-like functions, independent of every backend.
export * from './ndarray.js';
export * from './elementwise.js';
export * from './int32.js';
export * from './reduce.js';
export * from './linalg.js';
export * from './einsum.js';
export * from './movement.js';
export * from './optimizers.js';
export * from './convolution.js';
export * from './pooling.js';
export * from './image.js';
export * from './image-transform.js';
export * from './volume.js';
export * from './image-extra.js';
