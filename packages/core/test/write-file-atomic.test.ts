import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../src/index.js';

const scratch = mkdtempSync(join(tmpdir(), 'write-file-atomic-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('writeFileAtomic', () => {
  it('creates missing folders, writes the bytes and leaves no temporary file', async () => {
    const file = join(scratch, 'a', 'b', 'out.txt');
    await writeFileAtomic(file, 'first');
    await writeFileAtomic(file, new TextEncoder().encode('second'));
    expect(readFileSync(file, 'utf8')).toBe('second');
    expect(readdirSync(join(scratch, 'a', 'b'))).toEqual(['out.txt']);
  });

  it('two writes to one file at once each use their own temporary file: the result is one of them, whole', async () => {
    const file = join(scratch, 'together.json');
    const long = JSON.stringify({ a: 'x'.repeat(100) });
    const short = JSON.stringify({ b: 1 });
    const results = await Promise.allSettled([writeFileAtomic(file, long), writeFileAtomic(file, short)]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
    expect([long, short]).toContain(readFileSync(file, 'utf8'));
    expect(readdirSync(scratch).filter((f) => f.startsWith('together'))).toEqual(['together.json']);
  });

  it('names the path and the cause when the folder is a file, and writes nothing', async () => {
    const notAFolder = join(scratch, 'plain-file');
    writeFileSync(notAFolder, 'keep me');
    await expect(writeFileAtomic(join(notAFolder, 'out.txt'), 'x')).rejects.toThrow(
      new RegExp(`^could not write '${join(notAFolder, 'out.txt')}': (ENOTDIR|EEXIST)`),
    );
    expect(readFileSync(notAFolder, 'utf8')).toBe('keep me');
  });

  it('leaves what was there untouched when the final rename fails', async () => {
    const folder = join(scratch, 'target-is-a-folder');
    mkdirSync(join(folder, 'out.txt'), { recursive: true });
    await expect(writeFileAtomic(join(folder, 'out.txt'), 'x')).rejects.toThrow(`could not write '${join(folder, 'out.txt')}'`);
    expect(readdirSync(folder)).toEqual(['out.txt']);
    expect(readdirSync(join(folder, 'out.txt'))).toEqual([]);
  });
});
