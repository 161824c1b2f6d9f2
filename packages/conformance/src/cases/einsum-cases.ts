import { opCase } from './case.js';
import { uniform } from './inputs.js';
import type { OpCase } from './types.js';

const row = (what: string, equation: string, ...shapes: number[][]): OpCase =>
  opCase(`'${equation}' ${what}`, 'einsum', shapes.map((s) => uniform(s)), { equation });

/** einsum: each form of equation it turns into matMul, sum, transpose or a diagonal gather. */
export const EINSUM_CASES: OpCase[] = [
  row('matrix product', 'ij,jk->ik', [2, 3], [3, 4]),
  row('implicit output', 'ij,jk', [2, 3], [3, 4]),
  row('batched matrix product', 'bij,bjk->bik', [2, 2, 3], [2, 3, 2]),
  row('attention scores', 'bhqd,bhkd->bhqk', [2, 2, 3, 4], [2, 2, 5, 4]),
  row('transpose', 'ij->ji', [2, 3]),
  row('sum of all', 'ij->', [3, 4]),
  row('sum of one axis, the rest moved', 'bij->jb', [2, 3, 4]),
  row('dot product', 'i,i->', [5], [5]),
  row('outer product', 'i,j->ij', [3], [4]),
  row('row-wise dot product', 'ij,ij->i', [3, 4], [3, 4]),
  row('two letters contracted', 'ijk,jkl->il', [2, 3, 2], [3, 2, 4]),
  row('three operands', 'ij,jk,kl->il', [2, 3], [3, 4], [4, 2]),
  row('a letter only one operand has is summed first', 'ij,k->ik', [2, 3], [4]),
  row('diagonal', 'ii->i', [3, 3]),
  row('trace, implicit', 'ii', [3, 3]),
  row('broadcast batch under ...', '...ij,...jk->...ik', [2, 1, 2, 3], [3, 3, 2]),
  row('an empty contracted letter gives zeros', 'ij,jk->ik', [2, 0], [0, 3]),
];
