/** The JSON in `bytes`; invalid JSON is an error naming the file. */
export function parseJson(bytes: Uint8Array, file: string): unknown {
  try {
    return JSON.parse(new TextDecoder().decode(bytes)) as unknown;
  } catch (error) {
    throw new Error(`load: '${file}' is not valid JSON: ${(error as Error).message}`, { cause: error });
  }
}

/** A value read from a file, as an error message shows what was found: its JSON, cut short. */
export function describeJson(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
