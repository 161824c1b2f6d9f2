import type { Tensor } from '../tensor/tensor.js';
import type { DataArray, DType } from '../types.js';
import { isPlainObject } from '../util/plain-object.js';
import { formatShape, sizeOf } from '../util/shape.js';
import { sha256 } from './checksum.js';
import { describeJson } from './json-file.js';

/** One weight in a weights file: where its little-endian bytes are. */
export interface WeightEntry {
  name: string;
  shape: number[];
  dtype: 'float32' | 'int32';
  /** Byte offset in the data. */
  offset: number;
  byteLength: number;
}

/** Describes a weights file: its length, its checksum and every weight in it, by group. */
export interface WeightsManifest {
  byteLength: number;
  sha256: string;
  /** Group name ('model', 'optimizer') -> its weights, in order. */
  groups: Record<string, WeightEntry[]>;
}

export interface DecodedWeight {
  entry: WeightEntry;
  values: Float32Array | Int32Array;
}

/** Named tensors of each group, written back to back as little-endian float32 / int32. */
export async function encodeWeights(groups: Record<string, readonly { name: string; tensor: Tensor }[]>): Promise<{ manifest: WeightsManifest; data: Uint8Array }> {
  const manifestGroups: Record<string, WeightEntry[]> = {};
  const chunks: { offset: number; values: DataArray; dtype: DType }[] = [];
  let offset = 0;
  for (const [group, weights] of Object.entries(groups)) {
    manifestGroups[group] = [];
    for (const { name, tensor } of weights) {
      if (tensor.dtype !== 'float32' && tensor.dtype !== 'int32') throw new Error(`save: weight '${name}' is ${tensor.dtype}; only float32 and int32 weights can be saved`);
      const byteLength = tensor.size * 4;
      manifestGroups[group].push({ name, shape: [...tensor.shape], dtype: tensor.dtype, offset, byteLength });
      // Read now, all of them: awaiting each read would let a training step that runs meanwhile
      // change the weights read after it, and the file would mix two steps.
      chunks.push({ offset, values: tensor.dataSync().slice(), dtype: tensor.dtype });
      offset += byteLength;
    }
  }
  const data = new Uint8Array(offset);
  const view = new DataView(data.buffer);
  for (const { offset: start, values, dtype } of chunks) {
    for (let i = 0; i < values.length; i++) {
      if (dtype === 'float32') view.setFloat32(start + 4 * i, values[i]!, true);
      else view.setInt32(start + 4 * i, values[i]!, true);
    }
  }
  return { manifest: { byteLength: offset, sha256: await sha256(data), groups: manifestGroups }, data };
}

/** The manifest's outline, which the checks of each entry's dtype, size and bounds rely on. */
function isManifest(value: unknown): value is WeightsManifest {
  return isPlainObject(value) && typeof value.byteLength === 'number' && typeof value.sha256 === 'string' && isPlainObject(value.groups)
    && Object.values(value.groups).every((entries) => Array.isArray(entries) && entries.every((entry) => isPlainObject(entry) && Array.isArray(entry.shape)));
}

/** Checks length, checksum and every entry's bounds, then reads each group's values. */
export async function decodeWeights(manifest: unknown, data: Uint8Array, file: string): Promise<Record<string, DecodedWeight[]>> {
  if (!isManifest(manifest)) {
    throw new Error(`load: '${file}' has no valid weights manifest: expected {byteLength, sha256, groups: {name: [{name, shape, dtype, offset, byteLength}]}}, got ${describeJson(manifest)}`);
  }
  if (data.byteLength !== manifest.byteLength) {
    throw new Error(`load: '${file}' is ${data.byteLength} bytes but the manifest expects ${manifest.byteLength}${data.byteLength < manifest.byteLength ? ' (truncated)' : ''}`);
  }
  const actual = await sha256(data);
  if (actual !== manifest.sha256) throw new Error(`load: '${file}' is corrupted: its SHA-256 is ${actual}, the manifest expects ${manifest.sha256}`);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const decoded: Record<string, DecodedWeight[]> = {};
  for (const [group, entries] of Object.entries(manifest.groups)) {
    decoded[group] = entries.map((entry) => {
      const size = sizeOf(entry.shape);
      if ((entry.dtype !== 'float32' && entry.dtype !== 'int32') || entry.byteLength !== size * 4 || entry.offset < 0 || entry.offset + entry.byteLength > data.byteLength) {
        throw new Error(`load: weight '${entry.name}' in '${file}' has an invalid entry (${entry.dtype} ${formatShape(entry.shape)} at bytes ${entry.offset}+${entry.byteLength} of ${data.byteLength})`);
      }
      const values = entry.dtype === 'float32' ? new Float32Array(size) : new Int32Array(size);
      for (let i = 0; i < size; i++) {
        values[i] = entry.dtype === 'float32' ? view.getFloat32(entry.offset + 4 * i, true) : view.getInt32(entry.offset + 4 * i, true);
      }
      return { entry, values };
    });
  }
  return decoded;
}
