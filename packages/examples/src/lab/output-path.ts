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

/** A path a run writes: a folder it fills, or a file it creates. */
export interface OutputPath {
  path: string;
  kind: 'folder' | 'file';
  option: keyof LabOptions;
}

const REASONS: Record<string, string> = {
  EEXIST: 'a file of that name is in the way',
  ENOTDIR: 'part of the path is a file',
  EACCES: 'no permission to write there',
  EPERM: 'no permission to write there',
  EROFS: 'the file system is read-only',
};

function reasonOf(error: unknown): string {
  const { code, message } = error as NodeJS.ErrnoException;
  return (code !== undefined ? REASONS[code] : undefined) ?? message;
}

/**
 * Why `dir` could not be created (with its parents) and written into, or null; creates nothing.
 * `fileInTheWay`: the reason when `dir` is a file (a parent of the path the user gave, or that path).
 */
async function whyNotWritableFolder(dir: string, fileInTheWay: string): Promise<string | null> {
  try {
    if (!(await stat(dir)).isDirectory()) return fileInTheWay;
    await access(dir, constants.W_OK);
    return null;
  } catch (error) {
    const missing = (error as NodeJS.ErrnoException).code === 'ENOENT' && dirname(dir) !== dir;
    return missing ? whyNotWritableFolder(dirname(dir), REASONS.ENOTDIR!) : reasonOf(error);
  }
}

async function whyNotWritable({ path, kind }: OutputPath): Promise<string | null> {
  if (kind === 'folder') return whyNotWritableFolder(path, REASONS.EEXIST!);
  const existing = await stat(path).catch(() => null);
  return existing?.isDirectory() ? 'it is a folder' : whyNotWritableFolder(dirname(path), REASONS.ENOTDIR!);
}

/**
 * Checks every path a run is to write, then creates the folders they need. Runs before
 * training, so a bad path costs a second, not the results of a run; and checks all of them
 * before creating any, so a bad path leaves no empty folder behind.
 */
export async function prepareOutputPaths(paths: readonly OutputPath[]): Promise<void> {
  for (const output of paths) {
    const reason = await whyNotWritable(output);
    if (reason !== null) throw new OutputPathError(output.path, reason, output.option);
  }
  for (const { path, kind, option } of paths) {
    // can still fail if the file system changes between the check and now
    await mkdir(kind === 'folder' ? path : dirname(path), { recursive: true }).catch((error: unknown) => {
      throw new OutputPathError(path, reasonOf(error), option);
    });
  }
}
