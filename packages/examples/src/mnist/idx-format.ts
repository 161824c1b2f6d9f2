// The IDX file format, pure: bytes in, checked dimensions and payload out. No Node module is
// imported here, so the browser entry (src/browser.ts) can parse the same files the lab reads.

/** IDX magic numbers: two zero bytes, the element type (0x08 = unsigned byte), the rank. */
export const IDX_IMAGES_MAGIC = 0x00000803; // 2051: ubyte, 3 dims (count, rows, cols)
/** The IDX magic number of a labels file: 2049, unsigned bytes, 1 dimension (count). */
export const IDX_LABELS_MAGIC = 0x00000801;

export interface IdxImages {
  count: number;
  rows: number;
  cols: number;
  /** count × rows × cols pixels, row-major, 0–255. */
  pixels: Uint8Array;
}

export interface IdxLabels {
  count: number;
  labels: Uint8Array;
}

/** The last segment of a path or URL, split by hand: node:path is not available in browsers. */
function baseName(file: string): string {
  return file.split(/[\\/]/).pop() ?? file;
}

/** Thrown for a file that is missing or not a well-formed IDX file; the message names the file. */
export class IdxFormatError extends Error {
  constructor(readonly file: string, problem: string) {
    super(`${baseName(file)} (${file}): ${problem}`);
    this.name = 'IdxFormatError';
  }
}

/** Checks the magic number and the size, and returns the dimensions and the payload. */
function parseIdx(file: string, bytes: Uint8Array, magic: number, rank: number, what: string): { dims: number[]; payload: Uint8Array } {
  const headerBytes = 4 + 4 * rank;
  if (bytes.length < headerBytes) {
    throw new IdxFormatError(file, `truncated: ${bytes.length} bytes, shorter than the ${headerBytes}-byte IDX header of ${what}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const found = view.getUint32(0, false);
  if (found !== magic) {
    throw new IdxFormatError(file, `wrong magic number ${found} (0x${found.toString(16).padStart(8, '0')}), expected ${magic} for ${what}`);
  }
  const dims = Array.from({ length: rank }, (_, i) => view.getUint32(4 + 4 * i, false));
  const expected = dims.reduce((a, b) => a * b, 1);
  const actual = bytes.length - headerBytes;
  if (actual < expected) {
    throw new IdxFormatError(file, `truncated: dimensions [${dims.join(', ')}] need ${expected} data bytes, the file has ${actual}`);
  }
  if (actual > expected) {
    throw new IdxFormatError(file, `${actual - expected} unexpected bytes after the ${expected} data bytes of dimensions [${dims.join(', ')}]`);
  }
  return { dims, payload: bytes.subarray(headerBytes) };
}

/** Parses the bytes of an IDX3 image file (magic 2051); `file` names it in errors. */
export function parseIdxImages(bytes: Uint8Array, file: string): IdxImages {
  const { dims, payload } = parseIdx(file, bytes, IDX_IMAGES_MAGIC, 3, 'an image file');
  const [count, rows, cols] = dims as [number, number, number];
  if (rows === 0 || cols === 0) throw new IdxFormatError(file, `images of ${rows}×${cols} pixels are empty`);
  return { count, rows, cols, pixels: payload };
}

/** Parses the bytes of an IDX1 label file (magic 2049); `classes` bounds the label values. */
export function parseIdxLabels(bytes: Uint8Array, file: string, classes = 10): IdxLabels {
  const { dims, payload } = parseIdx(file, bytes, IDX_LABELS_MAGIC, 1, 'a label file');
  const bad = payload.findIndex((label) => label >= classes);
  if (bad >= 0) throw new IdxFormatError(file, `label ${payload[bad]} at index ${bad} is outside 0..${classes - 1}`);
  return { count: dims[0]!, labels: payload };
}

/** Encodes an IDX file (used to make test fixtures and by anyone exporting digits). */
export function encodeIdx(magic: number, dims: readonly number[], data: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, magic, false);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.set(data, 4 + 4 * dims.length);
  return out;
}
