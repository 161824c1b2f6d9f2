// Number formatting as Python prints it, so our output matches Keras's character for character.
// JavaScript differs in three ways: ties round away from zero (Python: to even), exponents have
// no padding (`1e-5` vs `1e-05`) and non-finite values are spelled `NaN`/`Infinity`.

function nonFinite(x: number): string {
  return Number.isNaN(x) ? 'nan' : x > 0 ? 'inf' : '-inf';
}

/** Python's `f"{x:.{digits}f}"`. */
export function formatFixed(x: number, digits: number): string {
  if (!Number.isFinite(x)) return nonFinite(x);
  // A tie (x·10^digits exactly halfway between integers) happens iff x·2^(digits+1) is an odd
  // integer; scaling by a power of two is exact, so the test is too.
  const scaled = Math.abs(x) * 2 ** (digits + 1);
  if (!Number.isSafeInteger(scaled) || scaled % 2 === 0) return x.toFixed(digits);
  const twice = BigInt(scaled) * 5n ** BigInt(digits); // 2·|x|·10^digits, odd
  const lower = (twice - 1n) / 2n;
  const even = lower % 2n === 0n ? lower : lower + 1n;
  const text = even.toString().padStart(digits + 1, '0');
  const body = digits > 0 ? `${text.slice(0, -digits)}.${text.slice(-digits)}` : text;
  return (x < 0 ? '-' : '') + body;
}

function padExponent(text: string): string {
  return text.replace(/e([+-])(\d)$/, 'e$10$2');
}

/**
 * Python's `f"{x:.{digits}e}"`. Keras uses it only for |x| ≤ 1e-3, where no value is exactly
 * halfway, so JavaScript's rounding agrees.
 */
export function formatExponential(x: number, digits: number): string {
  if (!Number.isFinite(x)) return nonFinite(x);
  return (Object.is(x, -0) ? '-' : '') + padExponent(x.toExponential(digits));
}

/** Python's `repr(float)`: shortest round-trip digits, fixed for 1e-4 ≤ |x| < 1e16, else `1e-05`. */
export function formatRepr(x: number): string {
  if (!Number.isFinite(x)) return nonFinite(x);
  if (x === 0) return Object.is(x, -0) ? '-0.0' : '0.0';
  const [mantissa, exponentText] = x.toExponential().split('e') as [string, string];
  const exponent = Number(exponentText);
  const sign = x < 0 ? '-' : '';
  const digits = mantissa.replace('-', '').replace('.', '');
  if (exponent < -4 || exponent >= 16) {
    const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${m}e${exponent < 0 ? '-' : '+'}${String(Math.abs(exponent)).padStart(2, '0')}`;
  }
  if (exponent < 0) return `${sign}0.${'0'.repeat(-exponent - 1)}${digits}`;
  const whole = digits.slice(0, exponent + 1).padEnd(exponent + 1, '0');
  const fraction = digits.slice(exponent + 1);
  return `${sign}${whole}.${fraction || '0'}`;
}

/**
 * Python's `template.format(**values)` for the placeholders file paths use: `{epoch}`,
 * `{epoch:02d}`, `{val_loss:.2f}`, `{loss:.3e}`.
 */
export function formatTemplate(template: string, values: Record<string, number>, who: string): string {
  return template.replace(/\{(\w+)(?::([^}]*))?\}/g, (_, key: string, spec: string | undefined) => {
    const value = values[key];
    if (value === undefined) {
      throw new Error(`${who}: the path "${template}" names {${key}}, which is not among ${Object.keys(values).join(', ')}`);
    }
    if (spec === undefined || spec === '') return Number.isInteger(value) ? String(value) : formatRepr(value);
    const integer = /^(0?)(\d*)d$/.exec(spec);
    if (integer) return String(Math.trunc(value)).padStart(Number(integer[2] || 0), integer[1] ? '0' : ' ');
    const real = /^\.(\d+)([fe])$/.exec(spec);
    if (real) return (real[2] === 'f' ? formatFixed : formatExponential)(value, Number(real[1]));
    throw new Error(`${who}: unsupported format "{${key}:${spec}}" in "${template}"; use d, 0Nd, .Nf or .Ne`);
  });
}
