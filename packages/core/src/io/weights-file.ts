import { isPlainObject } from '../util/plain-object.js';
import { describeJson, parseJson } from './json-file.js';
import type { WeightsManifest } from './weights-codec.js';

const MAGIC = 'PCWT';
const FORMAT = 'perceptron-weights';
/** The magic, then the header's byte length as a little-endian uint32. */
const PREFIX_BYTES = 8;

/** One `saveWeights` file: 'PCWT', the header length, the JSON header (the manifest), the data. */
export function packWeightsFile(manifest: WeightsManifest, data: Uint8Array): Uint8Array {
  const header = new TextEncoder().encode(JSON.stringify({ format: FORMAT, formatVersion: 1, manifest }));
  const file = new Uint8Array(PREFIX_BYTES + header.byteLength + data.byteLength);
  file.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(file.buffer).setUint32(4, header.byteLength, true);
  file.set(header, PREFIX_BYTES);
  file.set(data, PREFIX_BYTES + header.byteLength);
  return file;
}

/**
 * Splits a `saveWeights` file into its manifest and data. Only the framing is checked here;
 * `decodeWeights` checks the manifest against the data.
 */
export function unpackWeightsFile(bytes: Uint8Array, file: string): { manifest: unknown; data: Uint8Array } {
  function fail(problem: string): never {
    throw new Error(`loadWeights: '${file}' ${problem}`);
  }
  // Latin-1, one character a byte, so binary junk shows as what it is.
  const magic = String.fromCharCode(...bytes.subarray(0, MAGIC.length));
  if (magic !== MAGIC) fail(`is not a Perceptron weights file (it does not start with '${MAGIC}': it starts with ${JSON.stringify(magic)})`);
  if (bytes.byteLength < PREFIX_BYTES) fail(`is truncated: it is ${bytes.byteLength} bytes, but a weights file starts with ${PREFIX_BYTES} ('${MAGIC}' and the header length)`);
  const headerLength = new DataView(bytes.buffer, bytes.byteOffset).getUint32(4, true);
  const headerEnd = PREFIX_BYTES + headerLength;
  if (headerEnd > bytes.byteLength) fail(`is truncated: its header needs ${headerLength} bytes, ${bytes.byteLength - PREFIX_BYTES} remain`);
  const header = parseJson(bytes.subarray(PREFIX_BYTES, headerEnd), file);
  if (!isPlainObject(header) || header.format !== FORMAT) fail(`has an invalid header: expected {"format":"${FORMAT}", "manifest": ...}, got ${describeJson(header)}`);
  return { manifest: header.manifest, data: bytes.subarray(headerEnd) };
}
