import { TOLERANCES } from '../tolerances.js';
import { OPS, type OpName } from './ops.js';
import type { Attrs, InputData, OpCase } from './types.js';

/**
 * One table row. Its tolerance comes from the op's entry in TOLERANCES, scaled by the number
 * of float32 terms each output accumulates. The gradient is checked whenever a float input
 * reaches a float output, unless `checkGradient: false` (inputs chosen for the forward value
 * only, e.g. log(0), or sitting on a kink such as a max tie).
 */
export function opCase(id: string, op: OpName, inputs: InputData[], attrs: Attrs = {}, options: { checkGradient?: boolean } = {}): OpCase {
  const spec = OPS[op];
  const entry = TOLERANCES[op];
  const dtypes = inputs.map((i) => i.dtype);
  const dtype = ('dtype' in spec && spec.dtype ? spec.dtype(dtypes, attrs) : undefined) ?? dtypes[0] ?? 'float32';
  const floatPath = dtype === 'float32' && dtypes.includes('float32');
  const scale = Math.max(1, 'reductionLength' in spec && spec.reductionLength ? spec.reductionLength(inputs.map((i) => i.shape), attrs) : 1);
  return {
    id: `${op}: ${id}`,
    op,
    inputs,
    attrs,
    tolerance: { forward: entry.forward, gradient: entry.gradient, webgl: entry.webgl, scale },
    dtype,
    gradientCheck: !floatPath || options.checkGradient === false ? 'none'
      : spec.differentiable && entry.gradient !== null ? 'finite-differences' : 'null',
  };
}
