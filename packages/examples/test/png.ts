import { readFileSync } from 'node:fs';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Checks the PNG signature and the IHDR chunk, and returns the image size. */
export function readPngSize(file: string): { width: number; height: number } {
  const bytes = readFileSync(file);
  if (!SIGNATURE.every((b, i) => bytes[i] === b)) throw new Error(`${file}: not a PNG (bad signature)`);
  if (bytes.toString('latin1', 12, 16) !== 'IHDR') throw new Error(`${file}: the first chunk is not IHDR`);
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}
