import { getBackend } from '../backend/registry.js';
import { Tensor } from '../tensor/tensor.js';
import { Variable } from '../tensor/variable.js';
import { formatShape, shapesEqual } from '../util/shape.js';

// What applyGradients takes: (gradient, variable) pairs, or the gradients and the variables apart.

/** A gradient and the variable it updates, as Python's `zip(gradients, variables)` pairs them. */
export type GradientPair = readonly [Tensor | null, Variable];

/** `gradients[i]` with `variables[i]`, or an error when the two lists differ in length. */
export function zipPairs(gradients: readonly (Tensor | null)[], variables: readonly Variable[]): GradientPair[] {
  if (!Array.isArray(gradients) || !Array.isArray(variables) || gradients.length !== variables.length) {
    throw new Error(`applyGradients: expected one gradient per variable, got ${Array.isArray(gradients) ? gradients.length : typeof gradients} gradients for ${Array.isArray(variables) ? variables.length : typeof variables} variables`);
  }
  return gradients.map((g, i) => [g, variables[i]!] as const);
}

/**
 * The pairs with a gradient, each checked (a float32 gradient of its variable's shape, on the
 * active backend), and the names of the variables whose gradient is null; an error naming
 * `optimizer` when a pair is malformed or every gradient is null.
 */
export function checkedPairs(optimizer: string, pairs: readonly GradientPair[]): { kept: [Tensor, Variable][]; missing: string[] } {
  const backend = getBackend();
  const kept: [Tensor, Variable][] = [];
  const missing: string[] = [];
  pairs.forEach((pair, i) => {
    const [gradient, variable] = Array.isArray(pair) ? pair : [undefined, undefined];
    if (!(variable instanceof Variable)) throw new Error(`${optimizer}.applyGradients: entry ${i} must pair a gradient with a Variable, got ${String(variable)}`);
    if (gradient === null || gradient === undefined) {
      missing.push(variable.name);
      return;
    }
    if (!(gradient instanceof Tensor)) throw new Error(`${optimizer}.applyGradients: the gradient for '${variable.name}' must be a Tensor or null, got ${typeof gradient}`);
    if (!shapesEqual(gradient.shape, variable.shape) || gradient.dtype !== 'float32' || variable.dtype !== 'float32') {
      throw new Error(`${optimizer}.applyGradients: variable '${variable.name}' (${variable.dtype} ${formatShape(variable.shape)}) needs a float32 gradient of its shape, got ${gradient.dtype} ${formatShape(gradient.shape)}`);
    }
    if (variable.backend !== backend) {
      throw new Error(`${optimizer}.applyGradients: variable '${variable.name}' lives on backend '${variable.backend.name}' but the active backend is '${backend.name}'`);
    }
    kept.push([gradient, variable]);
  });
  if (pairs.length === 0) throw new Error(`${optimizer}.applyGradients: expected (gradient, variable) pairs, got none`);
  if (kept.length === 0) {
    throw new Error(`${optimizer}.applyGradients: no gradients provided for any variable (all ${pairs.length} are null): ${missing.join(', ')}`);
  }
  return { kept, missing };
}
