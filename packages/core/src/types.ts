/** Element types a tensor can hold. `bool` is stored as 0/1 bytes. */
export type DType = 'float32' | 'int32' | 'bool';

/** A tensor's dimensions, outermost first. `[]` is a scalar. */
export type Shape = readonly number[];

/** The flat, row-major storage of a tensor's values, one array type per dtype. */
export type DataArray = Float32Array | Int32Array | Uint8Array;

/** Nested arrays of numbers or booleans, as users write tensor literals. */
export type NestedArray = number | boolean | readonly NestedArray[];
