// IDX files read from disk with node:fs; the format itself is checked by the pure parsers.
import { readFileSync } from 'node:fs';
import { IdxFormatError, parseIdxImages, parseIdxLabels, type IdxImages, type IdxLabels } from './idx-format.js';

function readBytes(file: string): Uint8Array {
  try {
    return readFileSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new IdxFormatError(file, 'file is missing');
    throw new IdxFormatError(file, `cannot be read: ${(error as Error).message}`);
  }
}

/** Reads an IDX3 image file (magic 2051). */
export function readIdxImages(file: string): IdxImages {
  return parseIdxImages(readBytes(file), file);
}

/** Reads an IDX1 label file (magic 2049); `classes` bounds the label values. */
export function readIdxLabels(file: string, classes = 10): IdxLabels {
  return parseIdxLabels(readBytes(file), file, classes);
}
