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

/** One `{key:spec}` value: Python's format spec `[0][width][.precision][d|f|e]`. */
function formatField(key: string, value: number, isInteger: boolean, spec: string, fail: (why: string) => never): string {
  const parsed = /^(0?)(\d*)(?:\.(\d+))?([dfe]?)$/.exec(spec);
  if (!parsed) fail('use [0][width][.precision] with d, f or e');
  const [, zero, width, precision, type] = parsed!;
  let text: string;
  if (type === 'd') {
    if (!isInteger) fail(`'d' formats integers and ${key} is a float (Python refuses it too)`);
    text = String(value);
  } else if (type === 'f' || type === 'e') {
    text = (type === 'f' ? formatFixed : formatExponential)(value, Number(precision ?? 6));
  } else {
    if (precision !== undefined) fail('a precision needs f or e');
    text = isInteger ? String(value) : formatRepr(value);
  }
  const padding = Math.max(0, Number(width || 0) - text.length);
  if (!zero) return ' '.repeat(padding) + text;
  const sign = /^[+-]/.test(text) ? text[0]! : '';
  return sign + '0'.repeat(padding) + text.slice(sign.length);
}

/**
 * Python's `template.format(**values)` for the placeholders file paths use: `{epoch}`,
 * `{epoch:03}`, `{epoch:02d}`, `{val_loss:.2f}`, `{loss:.3e}`, and `{{` / `}}` for braces.
 * Keys in `integerKeys` are Python ints (`{epoch}` is 5); the others are floats, as Keras's
 * logs are (`{loss}` is 1.0).
 */
export function formatTemplate(template: string, values: Record<string, number>, who: string, integerKeys: readonly string[] = ['epoch', 'batch']): string {
  return template.replace(/\{\{|\}\}|\{(\w+)(?::([^}]*))?\}/g, (match, key: string | undefined, spec: string | undefined) => {
    if (key === undefined) return match[0]!;
    const value = values[key];
    if (value === undefined) {
      throw new Error(`${who}: the path "${template}" names {${key}}, which is not among ${Object.keys(values).join(', ')}`);
    }
    const fail = (why: string): never => {
      throw new Error(`${who}: unsupported format "{${key}:${spec}}" in "${template}": ${why}`);
    };
    return formatField(key, value, integerKeys.includes(key), spec ?? '', fail);
  });
}
