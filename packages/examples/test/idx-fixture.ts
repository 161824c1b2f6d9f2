// Generated IDX files for tests: small images with a known pixel pattern, and given labels.
import { writeFileSync } from 'node:fs';
import { encodeIdx, IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC } from '../src/mnist/idx-format.js';

/** `count` images of rows×cols whose pixel j of image i is (7i + j) mod 256. */
export function fixturePixels(count: number, rows = 2, cols = 3): Uint8Array {
  return Uint8Array.from({ length: count * rows * cols }, (_, k) => {
    const i = Math.floor(k / (rows * cols));
    return (7 * i + (k % (rows * cols))) % 256;
  });
}

export function writeIdxImages(file: string, count: number, rows = 2, cols = 3): void {
  writeFileSync(file, encodeIdx(IDX_IMAGES_MAGIC, [count, rows, cols], fixturePixels(count, rows, cols)));
}

export function writeIdxLabels(file: string, labels: readonly number[]): void {
  writeFileSync(file, encodeIdx(IDX_LABELS_MAGIC, [labels.length], Uint8Array.from(labels)));
}
