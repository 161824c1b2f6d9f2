import { sizeOfShape, unravel, type NDArray } from './ndarray.js';

/**
 * An einsum equation read for the oracle: one label per dimension of each operand and of the
 * output. `...` becomes labels '0', '1', ... for the broadcast dimensions it stands for,
 * right-aligned; the implicit output is those, then the letters used once, sorted (numpy's).
 */
interface Subscripts {
  readonly inputs: string[][];
  readonly output: string[];
  /** Each label's size, broadcast over the operands for `...` dimensions. */
  readonly sizes: Map<string, number>;
}

function subscripts(equation: string, shapes: readonly (readonly number[])[]): Subscripts {
  const [lhs, rhs] = equation.replace(/ /g, '').split('->') as [string, string | undefined];
  const terms = lhs.split(',');
  if (terms.length !== shapes.length) throw new Error(`reference einsum: ${terms.length} terms for ${shapes.length} operands`);
  const dotsRank = (term: string, rank: number): number => (term.includes('...') ? rank - (term.length - 3) : 0);
  const broadcast = Math.max(0, ...terms.map((t, i) => dotsRank(t, shapes[i]!.length)));
  const expand = (term: string, count: number): string[] => {
    const [before, after = ''] = term.split('...') as [string, string | undefined];
    const dots = Array.from({ length: count }, (_, k) => String(broadcast - count + k));
    return [...before, ...(term.includes('...') ? dots : []), ...after];
  };
  const inputs = terms.map((t, i) => expand(t, dotsRank(t, shapes[i]!.length)));
  const sizes = new Map<string, number>();
  inputs.forEach((labels, i) => {
    if (labels.length !== shapes[i]!.length) throw new Error(`reference einsum: operand ${i} has the wrong rank`);
    labels.forEach((label, d) => {
      const n = shapes[i]![d]!;
      const known = sizes.get(label);
      if (known !== undefined && known !== n && known !== 1 && n !== 1) throw new Error(`reference einsum: label ${label} has sizes ${known} and ${n}`);
      if (known === undefined || known === 1) sizes.set(label, n);
    });
  });
  const isLetter = (l: string): boolean => /[a-zA-Z]/.test(l);
  let output: string[];
  if (rhs === undefined) {
    const all = inputs.flat().filter(isLetter);
    const once = all.filter((l) => all.indexOf(l) === all.lastIndexOf(l)).sort();
    output = [...expand('...', broadcast), ...once];
  } else {
    output = expand(rhs, broadcast);
  }
  return { inputs, output, sizes };
}

/** Number of terms each output element sums: the product of the sizes of the letters summed over. */
export function einsumTerms(equation: string, shapes: readonly (readonly number[])[]): number {
  const { output, sizes } = subscripts(equation, shapes);
  let terms = 1;
  for (const [label, n] of sizes) if (!output.includes(label)) terms *= n;
  return terms;
}

/**
 * einsum by brute force: every assignment of values to all labels adds the product of the
 * operands' elements it picks to the output element it names. Size-1 dimensions under `...`
 * repeat (index 0), which is numpy's broadcasting.
 */
export function einsum(equation: string, operands: readonly NDArray[]): NDArray {
  const { inputs, output, sizes } = subscripts(equation, operands.map((x) => x.shape));
  const labels = [...sizes.keys()];
  const space = labels.map((l) => sizes.get(l)!);
  const outShape = output.map((l) => sizes.get(l)!);
  const data = new Float64Array(sizeOfShape(outShape));
  const offset = (shape: readonly number[], names: readonly string[], value: Map<string, number>): number => {
    let flat = 0;
    names.forEach((l, d) => {
      flat = flat * shape[d]! + (shape[d] === 1 ? 0 : value.get(l)!);
    });
    return flat;
  };
  const total = sizeOfShape(space);
  for (let p = 0; p < total; p++) {
    const index = unravel(p, space);
    const value = new Map(labels.map((l, k) => [l, index[k]!]));
    let product = 1;
    operands.forEach((x, i) => {
      product *= x.data[offset(x.shape, inputs[i]!, value)]!;
    });
    data[offset(outShape, output, value)] += product;
  }
  return { shape: outShape, data };
}
