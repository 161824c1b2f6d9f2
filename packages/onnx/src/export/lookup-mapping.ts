import { ONNX_TYPE } from '../proto.js';
import { attr } from './graph-builder.js';
import type { OpMapping } from './op-mappings.js';

/**
 * An IntegerLookup's 'int' lookup (lookup-calls.ts) as ONNX: each token compared with the
 * vocabulary (Equal against the tokens, on a new last axis); a token found gets tokenStart plus
 * its place (ArgMax of the matches), one not found oovStart plus its floormod by the number of
 * OOV indices (Mod with fmod 0 takes the divisor's sign, as floormod), the mask token 0.
 */
export const integerLookup: OpMapping = ({ b, op, inputs, scope }) => {
  const { tokens, tokenStart, oovStart, oovIndices, maskToken } = op.attrs as {
    tokens: number[]; tokenStart: number; oovStart: number; oovIndices: number; maskToken: number | null;
  };
  const int = (value: number) => b.constant('int32', [], [value], scope);
  const ids = b.node('Cast', [inputs[0]!], [attr.int('to', ONNX_TYPE.INT32)], scope); // float32 tokens hold whole numbers
  const matches = b.node('Cast', [b.node('Equal', [b.node('Unsqueeze', [ids, b.int64s([-1], scope, 'axes')], [], scope), b.constant('int32', [tokens.length], tokens, scope)], [], scope)], [attr.int('to', ONNX_TYPE.INT32)], scope);
  const place = b.node('Cast', [b.node('ArgMax', [matches], [attr.int('axis', -1), attr.int('keepdims', 0)], scope)], [attr.int('to', ONNX_TYPE.INT32)], scope);
  // ReduceMax's axes became an input in opset 18.
  const anyMatch = b.opset >= 18
    ? b.node('ReduceMax', [matches, b.int64s([-1], scope, 'axes')], [attr.int('keepdims', 0)], scope)
    : b.node('ReduceMax', [matches], [attr.ints('axes', [-1]), attr.int('keepdims', 0)], scope);
  const found = b.node('Cast', [anyMatch], [attr.int('to', ONNX_TYPE.BOOL)], scope);
  const oov = b.node('Add', [b.node('Mod', [ids, int(oovIndices)], [], scope), int(oovStart)], [], scope);
  const indices = b.node('Where', [found, b.node('Add', [place, int(tokenStart)], [], scope), oov], [], scope);
  if (maskToken === null) return indices;
  return b.node('Where', [b.node('Equal', [ids, int(maskToken)], [], scope), int(0), indices], [], scope);
};
