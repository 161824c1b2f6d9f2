import { Conv3D, Conv3DTranspose, type Layer } from '@perceptron/core';
import { CONSTANT_RULES } from './constant-rules.js';
import { layerCallRuns } from './layer-call-runs.js';
import { layersUnder } from './layers-under.js';
import type { Trace, TracedOp, TracedSource } from './trace-model.js';

// Core's 3-D convolutions are composites: the op reports no record of its own, only its parts
// (2-D convolutions of depth planes folded into the batch, added up over the depth taps). The
// Conv3D and Conv3DTranspose layers' calls are found in a trace by their layer, and the parts of
// each become one 'conv3d' or 'conv3dTranspose' op (op-mappings.ts's ONNX Conv and
// ConvTranspose); the bias and activation after them stay ops. Other callers of the ops
// (ConvLSTM3D, a custom layer) keep the parts, which export too.

/** What one layer class's call reads and gives: the op that replaces its composite's parts. */
interface VolumeCall {
  readonly name: 'conv3d' | 'conv3dTranspose';
  /** The composite's output shape for volumes `x` (channels last). */
  shape(x: readonly number[]): number[];
  attrs(x: readonly number[], y: readonly number[]): Record<string, unknown>;
}

/** Keras's 'same' padding of one axis: the output is ceil(input / stride), the odd pad after. */
function explicitPadding(layer: Conv3D, x: readonly number[], y: readonly number[]): [number, number][] {
  return [0, 1, 2].map((axis): [number, number] => {
    if (layer.padding === 'valid') return [0, 0];
    const reach = (y[axis + 1]! - 1) * layer.strides[axis]! + (layer.kernelSize[axis]! - 1) * layer.dilationRate[axis]! + 1;
    const total = Math.max(0, reach - x[axis + 1]!);
    return [Math.floor(total / 2), total - Math.floor(total / 2)];
  });
}

function volumeCall(layer: Layer): VolumeCall | null {
  if (layer.constructor === Conv3D) {
    const conv = layer as Conv3D;
    return {
      name: 'conv3d',
      shape: (x) => conv.computeOutputShape(x) as number[],
      attrs: (x, y) => ({ strides: [...conv.strides], dilations: [...conv.dilationRate], explicitPadding: explicitPadding(conv, x, y), groups: conv.groups }),
    };
  }
  if (layer.constructor === Conv3DTranspose) {
    // The layer's full scatter (its 'valid' transposed convolution), which it then cuts to Keras's window.
    const conv = layer as Conv3DTranspose;
    return {
      name: 'conv3dTranspose',
      shape: (x) => [x[0]!, ...[0, 1, 2].map((a) => (x[a + 1]! - 1) * conv.strides[a]! + (conv.kernelSize[a]! - 1) * conv.dilationRate[a]! + 1), conv.filters],
      attrs: () => ({ strides: [...conv.strides], dilations: [...conv.dilationRate] }),
    };
  }
  return null;
}

/**
 * `trace` with the composite of each call of a Conv3D or Conv3DTranspose layer traced as one op:
 * the first op of the call that depends on the layer's input and has the composite's output
 * shape (every part before it is of rank 3 or 4) is replaced by the op; the parts before it,
 * which nothing else reads, are left for the exporter to drop. A call it cannot read so (a layer
 * name used twice, a call reading two volumes) keeps its parts.
 */
export function fuseVolumeConvolutions(model: Layer, trace: Trace): Trace {
  const layers = layersUnder(model);
  const ops = [...trace.ops];
  for (const layer of layers) {
    const call = volumeCall(layer);
    if (!call || layers.filter((l) => l.name === layer.name).length > 1) continue;
    for (const [start, end] of layerCallRuns(ops, layer.name)) fuseCall(ops, trace, start, end, layer, call);
  }
  return { ...trace, ops };
}

/** Fuses the composite in ops[start..end] (one run of the layer's own ops) when it is read as expected. */
function fuseCall(ops: TracedOp[], trace: Trace, start: number, end: number, layer: Layer, call: VolumeCall): void {
  const dependent = new Set<number>();
  const external = new Map<string, { source: TracedSource; shape: readonly number[] }>();
  let result = -1;
  for (let i = start; i <= end && result < 0; i++) {
    const op = ops[i]!;
    if ((CONSTANT_RULES as readonly string[]).includes(op.name)) continue; // reads the input for its batch size only
    op.inputs.forEach((source, k) => {
      if (source.kind === 'op' && dependent.has(source.index)) dependent.add(i);
      else if (source.kind === 'input' || (source.kind === 'op' && source.index < start)) {
        dependent.add(i);
        external.set(JSON.stringify(source), { source, shape: op.inputShapes[k]! });
      }
    });
    if (dependent.has(i) && external.size === 1) {
      const x = [...external.values()][0]!.shape;
      if (op.shape.length === 5 && op.shape.join() === call.shape(x).join()) result = i;
    }
  }
  if (result < 0 || external.size !== 1) return;
  const readLater = ops.slice(result + 1).some((op) => op.inputs.some((s) => s.kind === 'op' && s.index !== result && dependent.has(s.index)))
    || trace.outputs.some((o) => o.source.kind === 'op' && o.source.index !== result && dependent.has(o.source.index));
  if (readLater) return;
  const x = [...external.values()][0]!;
  const kernel = (layer as Conv3D).kernel!;
  const op = ops[result]!;
  ops[result] = {
    name: call.name, attrs: call.attrs(x.shape, op.shape), inputs: [x.source, { kind: 'variable', variable: kernel }],
    inputShapes: [x.shape, [...kernel.shape]], shape: op.shape, dtype: op.dtype, layerPath: op.layerPath, batch: op.batch,
  };
}
