import { channelsFirst, filterToOnnx, onnxPads } from './channels-first.js';
import { attr } from './graph-builder.js';
import type { OpMapping } from './op-mappings.js';

// The 3-D convolutions volume-convolution-calls.ts traces as one op each, as one ONNX Conv or
// ConvTranspose on channels-first volumes [batch, channels, depth, height, width].

const FILTER_TO_OIDHW = filterToOnnx(3);

/**
 * conv3d (a Conv3D layer's convolution, before its bias) as ONNX Conv: the filter [kd, kh, kw,
 * channels / groups, outChannels] transposed to ONNX's [outChannels, channels / groups, kd, kh,
 * kw], which is its grouped layout as well; the padding the explicit one of Keras's.
 */
export const conv3d: OpMapping = ({ b, op, inputs, scope }) => {
  const filter = b.node('Transpose', [inputs[1]!], [attr.ints('perm', FILTER_TO_OIDHW)], scope);
  return channelsFirst(b, inputs[0]!, scope, (volumes) => b.node('Conv', [volumes, filter], [
    attr.ints('kernel_shape', op.inputShapes[1]!.slice(0, 3)),
    attr.ints('strides', op.attrs.strides as number[]),
    attr.ints('dilations', op.attrs.dilations as number[]),
    attr.ints('pads', onnxPads(op)),
    attr.int('group', op.attrs.groups as number),
  ], scope), 5);
};

/**
 * conv3dTranspose (a Conv3DTranspose layer's full scatter, before it is cut to Keras's window)
 * as ONNX ConvTranspose without padding: the filter [kd, kh, kw, outChannels, inChannels]
 * transposed to ONNX's [inChannels, outChannels, kd, kh, kw]; a dilated kernel's taps spaced by
 * its dilations, as the layer spreads them.
 */
export const conv3dTranspose: OpMapping = ({ b, op, inputs, scope }) => {
  const filter = b.node('Transpose', [inputs[1]!], [attr.ints('perm', FILTER_TO_OIDHW)], scope);
  return channelsFirst(b, inputs[0]!, scope, (volumes) => b.node('ConvTranspose', [volumes, filter], [
    attr.ints('kernel_shape', op.inputShapes[1]!.slice(0, 3)),
    attr.ints('strides', op.attrs.strides as number[]),
    attr.ints('dilations', op.attrs.dilations as number[]),
  ], scope), 5);
};
