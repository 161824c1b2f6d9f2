// Copies between a tensor's rows and the wasm kernels' memory, where the kernels want each row
// (a pixel's channels) padded to whole vectors or panels: `cols` values to a row there, rows
// `stride` floats apart.

/**
 * Rows this short are copied value by value: a subarray, a set and a fill per row cost more
 * (a 2×2 max pooling of [32, 26, 26, 1], rows of one value: 2.5 ms that way, 0.33 ms this way).
 */
const SHORT_ROW = 32;

/** Copies `rows` rows of `cols` values into memory at `at` with rows `stride` apart, zeroing each row's padding. */
export function copyIn(floats: Float32Array, at: number, values: Float32Array, rows: number, cols: number, stride: number): void {
  if (cols === stride) {
    floats.set(values.subarray(0, rows * cols), at);
  } else if (cols < SHORT_ROW) {
    for (let r = 0, from = 0, to = at; r < rows; r++, to += stride) {
      for (let c = 0; c < stride; c++) floats[to + c] = c < cols ? values[from++]! : 0;
    }
  } else {
    for (let r = 0; r < rows; r++) {
      floats.set(values.subarray(r * cols, (r + 1) * cols), at + r * stride);
      floats.fill(0, at + r * stride + cols, at + (r + 1) * stride);
    }
  }
}

/** The inverse of copyIn: rows of `cols` values read from rows `stride` apart. */
export function copyOut(out: Float32Array, floats: Float32Array, at: number, rows: number, cols: number, stride: number): void {
  if (cols === stride) {
    out.set(floats.subarray(at, at + rows * cols));
  } else if (cols < SHORT_ROW) {
    for (let r = 0, to = 0, from = at; r < rows; r++, from += stride) {
      for (let c = 0; c < cols; c++) out[to++] = floats[from + c]!;
    }
  } else {
    for (let r = 0; r < rows; r++) out.set(floats.subarray(at + r * stride, at + r * stride + cols), r * cols);
  }
}

/**
 * copyIn with each value written `repeats` times side by side: a depthwise convolution's input
 * channel c, once for each of its M output channels c·M + m, so that every lane of the kernel
 * reads its own channel.
 */
export function copyInRepeated(floats: Float32Array, at: number, values: Float32Array, rows: number, cols: number, repeats: number, stride: number): void {
  if (repeats === 1) {
    copyIn(floats, at, values, rows, cols, stride);
    return;
  }
  for (let r = 0, from = 0; r < rows; r++) {
    let to = at + r * stride;
    for (let c = 0; c < cols; c++, from++) {
      for (let m = 0; m < repeats; m++) floats[to++] = values[from]!;
    }
    floats.fill(0, to, at + (r + 1) * stride);
  }
}

/** The inverse of copyInRepeated for gradients: each run of `repeats` values summed (in float64) into one. */
export function copyOutSummed(out: Float32Array, floats: Float32Array, at: number, rows: number, cols: number, repeats: number, stride: number): void {
  if (repeats === 1) {
    copyOut(out, floats, at, rows, cols, stride);
    return;
  }
  for (let r = 0, to = 0; r < rows; r++) {
    let from = at + r * stride;
    for (let c = 0; c < cols; c++) {
      let sum = 0;
      for (let m = 0; m < repeats; m++) sum += floats[from++]!;
      out[to++] = sum;
    }
  }
}
