import { attr, type GraphBuilder } from './graph-builder.js';
import type { TracedOp } from './trace-model.js';

// Core's convolutions and poolings take channels-last images and volumes; ONNX's take them
// channels first, with the filter's window axes last.

/**
 * Core's filters [...window, inChannels, outChannels] as ONNX's [outChannels, inChannels,
 * ...window] (of `spatial` window axes): for a transposed convolution, whose core filter is
 * [...window, outChannels, inChannels], this is ONNX's [inChannels, outChannels, ...window].
 */
export function filterToOnnx(spatial: number): number[] {
  return [spatial + 1, spatial, ...Array.from({ length: spatial }, (_, i) => i)];
}

/**
 * An op's resolved padding [[before, after], ...] per spatial axis as ONNX's pads, every
 * axis's before then every axis's after ([top, left, bottom, right] for images).
 */
export function onnxPads(op: TracedOp): number[] {
  const padding = op.attrs.explicitPadding as [number, number][];
  return [...padding.map((p) => p[0]), ...padding.map((p) => p[1])];
}

/**
 * `node` of channels-first images (or volumes: `rank` 5) made of core's channels-last `image`:
 * transposed in and back out.
 */
export function channelsFirst(b: GraphBuilder, image: string, scope: string, node: (images: string) => string, rank = 4): string {
  const spatial = Array.from({ length: rank - 2 }, (_, i) => i + 1);
  const y = node(b.node('Transpose', [image], [attr.ints('perm', [0, rank - 1, ...spatial])], scope));
  return b.node('Transpose', [y], [attr.ints('perm', [0, ...spatial.map((a) => a + 1), 1])], scope);
}
