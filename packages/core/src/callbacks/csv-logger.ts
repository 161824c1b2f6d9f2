import { checkOptions } from '../util/options.js';
import { writeFileAtomic } from '../io/write-file-atomic.js';
import type { Callback, Logs } from './callback.js';
import { formatRepr } from './python-format.js';

export interface CSVLoggerOptions {
  /** Default ','. */
  separator?: string;
  /** Continue an existing file instead of overwriting it. Default false. */
  append?: boolean;
}

/**
 * Writes `epoch` and every log value to a CSV file, one row per epoch (Keras's CSVLogger: columns
 * are the first epoch's keys, sorted, plus val_ twins if it had none; a key missing reads `NA`; numbers as Python prints
 * them; lines end with `\n`). Each epoch rewrites the file through a temporary file and a rename,
 * so the file on disk is always complete. Node only.
 */
export class CSVLogger implements Callback {
  readonly filename: string;
  private readonly separator: string;
  private readonly append: boolean;
  private content = '';
  private keys: string[] | null = null;

  constructor(filename: string, given: CSVLoggerOptions = {}) {
    const options = checkOptions('CSVLogger', given, { separator: true, append: true });
    if (typeof filename !== 'string' || filename === '') {
      throw new Error(`CSVLogger: expected a non-empty filename, got ${JSON.stringify(filename)}`);
    }
    this.filename = filename;
    this.separator = options.separator ?? ',';
    this.append = options.append ?? false;
  }

  async onTrainBegin(): Promise<void> {
    this.keys = null;
    this.content = '';
    if (!this.append) return;
    const fs = await import('node:fs/promises');
    try {
      this.content = await fs.readFile(this.filename, 'utf8');
    } catch (error) {
      if ((error as { code?: string }).code !== 'ENOENT') throw error;
    }
    if (this.content !== '' && !this.content.endsWith('\n')) this.content += '\n';
  }

  async onEpochEnd(epoch: number, logs: Logs = {}): Promise<void> {
    if (this.keys === null) {
      const keys = Object.keys(logs).sort();
      // With validationFreq > 1 the first epoch has no val_ keys: Keras then adds a val_ column
      // for every key (NA until validation runs), and so do we, for the same file.
      this.keys = keys.some((k) => k.startsWith('val_')) ? keys : [...keys, ...keys.map((k) => `val_${k}`)];
      if (this.content === '') this.content = this.row(['epoch', ...this.keys]);
    }
    this.content += this.row([String(epoch), ...this.keys.map((k) => (k in logs ? formatRepr(logs[k]!) : 'NA'))]);
    await writeFileAtomic(this.filename, this.content);
  }

  /** One line; fields holding the separator, quotes or newlines are quoted as Python's csv does. */
  private row(fields: string[]): string {
    const quote = (f: string): string =>
      f.includes(this.separator) || /["\r\n]/.test(f) ? `"${f.replaceAll('"', '""')}"` : f;
    return `${fields.map(quote).join(this.separator)}\n`;
  }
}
