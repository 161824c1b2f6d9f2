import { access, constants, mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { LabOptions } from './cli.js';

/** A folder or file a run is to write cannot be created or written. */
export class OutputPathError extends Error {
  /** `option`: the lab option that named the path. */
  constructor(readonly path: string, reason: string, readonly option: keyof LabOptions) {
    super(`cannot write to '${path}': ${reason}`);
    this.name = 'OutputPathError';
  }
}

const REASONS: Record<string, string> = {
  EEXIST: 'a file of that name is in the way',
  ENOTDIR: 'part of the path is a file',
  EACCES: 'no permission to write there',
  EPERM: 'no permission to write there',
  EROFS: 'the file system is read-only',
};

/**
 * Creates `dir` and checks it is writable. Runs before training, so a bad path costs a second,
 * not the results of a run.
 */
export async function prepareOutputDir(dir: string, option: keyof LabOptions): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
    await access(dir, constants.W_OK);
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    throw new OutputPathError(dir, (code !== undefined ? REASONS[code] : undefined) ?? message, option);
  }
}

/** Prepares the folder of `file` and checks `file` is not itself a folder. */
export async function prepareOutputFile(file: string, option: keyof LabOptions): Promise<void> {
  await prepareOutputDir(dirname(file), option);
  const existing = await stat(file).catch(() => null);
  if (existing?.isDirectory()) throw new OutputPathError(file, 'it is a folder', option);
}
