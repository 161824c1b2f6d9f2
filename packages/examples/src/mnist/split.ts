import type { IdxImages } from './idx-format.js';
import type { MnistRaw } from './mnist-raw.js';

/** Flattened, scaled samples: `x` holds count × features floats in [0, 1]. */
export interface FlatSplit {
  x: Float32Array;
  y: Int32Array;
  count: number;
  features: number;
}

export interface MnistArrays {
  train: FlatSplit;
  validation: FlatSplit;
  test: FlatSplit;
}

/** Flattens each image to rows·cols values and scales 0–255 to 0–1 (the lab's `/255`). */
export function flattenAndScale(images: IdxImages, labels: Uint8Array): FlatSplit {
  const x = new Float32Array(images.pixels.length);
  for (let i = 0; i < x.length; i++) x[i] = images.pixels[i]! / 255;
  return { x, y: Int32Array.from(labels), count: images.count, features: images.rows * images.cols };
}

function rows(split: FlatSplit, start: number, end: number): FlatSplit {
  return {
    x: split.x.subarray(start * split.features, end * split.features),
    y: split.y.subarray(start, end),
    count: end - start,
    features: split.features,
  };
}

/** The lab's split: the last `validationSize` training samples become the validation set. */
export function splitMnist(raw: MnistRaw, validationSize = 5000): MnistArrays {
  const train = flattenAndScale(raw.train.images, raw.train.labels);
  if (!(Number.isInteger(validationSize) && validationSize >= 0 && validationSize < train.count)) {
    throw new Error(`splitMnist: validationSize must be an integer in [0, ${train.count}), got ${validationSize}`);
  }
  const cut = train.count - validationSize;
  return {
    train: rows(train, 0, cut),
    validation: rows(train, cut, train.count),
    test: flattenAndScale(raw.test.images, raw.test.labels),
  };
}
