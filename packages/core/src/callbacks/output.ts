/** Where callbacks print. Injectable so tests (and UIs) can capture the text. */
export interface OutputOptions {
  /** Receives text exactly as a terminal would (newlines included). Default: stdout / console. */
  write?: (text: string) => void;
  /** Rewrite lines in place and use colours. Default: whether stdout is a terminal. */
  isTTY?: boolean;
}

interface MaybeProcess {
  process?: { stdout?: { write?(text: string): unknown; isTTY?: boolean } };
}

// Core also runs in browsers, so the process object is looked up, never imported.
const stdout = (): { write?(text: string): unknown; isTTY?: boolean } | undefined => (globalThis as MaybeProcess).process?.stdout;

export function stdoutIsTTY(): boolean {
  return stdout()?.isTTY === true;
}

/** Writes to stdout in Node; elsewhere logs each line to the console. */
export function defaultWrite(text: string): void {
  const out = stdout();
  if (out?.write) out.write(text);
  else console.log(text.replace(/\n$/, ''));
}
