/**
 * How numpy prints a float32 (`str(np.float32(x))`): the shortest decimal that reads back as
 * the same float32, e.g. 2.303298 rather than 2.3032979965209961.
 */
export function formatFloat32(value: number): string {
  const f = Math.fround(value);
  if (!Number.isFinite(f)) return String(f);
  for (let digits = 1; digits <= 9; digits++) {
    const s = f.toPrecision(digits);
    if (Math.fround(Number(s)) === f) return String(Number(s));
  }
  return String(f);
}

/** How Python prints `float(np.float32(x))`: the float64 repr of the float32 value (0.8305454254150391). */
export function formatFloat32AsFloat64(value: number): string {
  return String(Math.fround(value));
}

/** Python's list repr of strings: ['loss', 'sparse_categorical_accuracy']. */
export function formatNameList(names: readonly string[]): string {
  return `[${names.map((n) => `'${n}'`).join(', ')}]`;
}

/** Python's list repr of floats: [0.214388842856884, 0.9358]. */
export function formatNumberList(values: readonly number[]): string {
  return `[${values.map((v) => String(v)).join(', ')}]`;
}
