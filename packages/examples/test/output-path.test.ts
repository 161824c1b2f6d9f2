import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OutputPathError, prepareOutputPaths } from '../src/lab/output-path.js';

const scratch = mkdtempSync(join(tmpdir(), 'output-path-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('prepareOutputPaths', () => {
  it('creates the folders of every path once all of them are known to be writable', async () => {
    const out = join(scratch, 'ok', 'run');
    const model = join(scratch, 'ok', 'models', 'lab.onnx');
    await prepareOutputPaths([{ path: out, kind: 'folder', option: 'out' }, { path: model, kind: 'file', option: 'exportOnnx' }]);
    expect(statSync(out).isDirectory()).toBe(true);
    expect(statSync(join(scratch, 'ok', 'models')).isDirectory()).toBe(true);
    expect(existsSync(model)).toBe(false);
  });

  it('creates no folder when a later path is bad, and names that path, its option and why', async () => {
    const file = join(scratch, 'a-file');
    writeFileSync(file, '');
    const out = join(scratch, 'never', 'run');
    const model = join(file, 'lab.onnx');
    const failure = prepareOutputPaths([{ path: out, kind: 'folder', option: 'out' }, { path: model, kind: 'file', option: 'exportOnnx' }]);
    await expect(failure).rejects.toThrow(new OutputPathError(model, 'part of the path is a file', 'exportOnnx'));
    await expect(failure).rejects.toMatchObject({ option: 'exportOnnx' });
    expect(existsSync(join(scratch, 'never'))).toBe(false);
  });
});
