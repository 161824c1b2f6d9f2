/** Where a demo writes its lines; tests pass a collector, the scripts pass console.log. */
export type Print = (line: string) => void;

/** Python's '%d': the integer part. */
export function asInt(value: number): string {
  return String(Math.trunc(value));
}
