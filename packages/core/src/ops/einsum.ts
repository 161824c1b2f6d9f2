import { tidy } from '../engine/memory.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Shape } from '../types.js';
import { formatShape, sizeOf } from '../util/shape.js';
import { tensor, withTensors, type TensorLike } from './convert.js';
import { gather } from './gather.js';
import { matMul } from './matmul.js';
import { sum } from './reduce.js';
import { reshape } from './reshape.js';
import { transpose } from './transpose.js';

/**
 * A parsed equation: every dimension of every operand and of the output named by a label, its
 * letter, or `…k` for the k-th of the dimensions `...` stands for (counted over the broadcast
 * shape, right-aligned, so the operands' broadcast dimensions share labels).
 */
interface Plan {
  readonly inputs: readonly (readonly string[])[];
  readonly output: readonly string[];
  /** Each label's size; for a `...` dimension the broadcast size. */
  readonly sizes: ReadonlyMap<string, number>;
}

/** A tensor with a label per dimension. */
interface Labeled {
  readonly t: Tensor;
  readonly labels: readonly string[];
}

/** Letters, at most one `...` among them: the subscripts of one operand or of the output. */
const TERM = /^([a-zA-Z]*)(?:(\.\.\.)([a-zA-Z]*))?$/;

/** Checks `equation` against the operands' shapes and names every dimension (numpy's rules). */
function plan(equation: string, shapes: readonly Shape[]): Plan {
  const fail = (why: string): never => {
    throw new Error(`einsum: ${why}`);
  };
  if (typeof equation !== 'string') fail(`expected an equation such as 'ij,jk->ik', got ${JSON.stringify(equation)}`);
  const eq = `'${equation}'`;
  const [left, right, ...extra] = equation.replace(/\s+/g, '').split('->');
  if (extra.length) fail(`malformed equation ${eq}: expected at most one '->'`);
  const terms = left!.split(',').map((term) => TERM.exec(term)
    ?? fail(`malformed equation ${eq}: expected each operand's subscripts to be letters with at most one '...', got '${term}'`));
  const output = right === undefined ? null : TERM.exec(right)
    ?? fail(`malformed equation ${eq}: expected the output's subscripts after '->' to be letters with at most one '...', got '${right}'`);
  if (terms.length !== shapes.length) fail(`equation ${eq} has ${terms.length} operand subscript${terms.length === 1 ? '' : 's'} but ${shapes.length} operand${shapes.length === 1 ? ' was' : 's were'} given`);

  // How many dimensions each `...` stands for: the rank left over by the letters.
  const spans = terms.map(([term, head, dots, tail], i) => {
    const letters = head!.length + (tail ?? '').length;
    const rank = shapes[i]!.length;
    if (dots ? rank < letters : rank !== letters) {
      fail(`operand ${i} of ${eq} has shape ${formatShape(shapes[i]!)} (rank ${rank}) but its subscripts '${term}' name ${dots ? 'at least ' : ''}${letters} dimensions`);
    }
    return rank - letters;
  });
  const broadcastRank = Math.max(0, ...spans);
  const dotLabels = (span: number): string[] => Array.from({ length: span }, (_, k) => `…${broadcastRank - span + k}`);
  const inputs = terms.map(([, head, dots, tail], i) => [...head!, ...(dots ? dotLabels(spans[i]!) : []), ...(tail ?? '')]);
  const dotShapes = (): string => terms.flatMap(([, head, dots], i) => {
    const shape = shapes[i]!;
    return dots ? [`${formatShape(shape.slice(head!.length, head!.length + spans[i]!))} in operand ${i} ${formatShape(shape)}`] : [];
  }).join(', ');

  const sizes = new Map<string, number>();
  const seenAt = new Map<string, [number, number]>();
  const where = ([i, axis]: [number, number]): string => `dimension ${axis} of operand ${i} ${formatShape(shapes[i]!)}`;
  inputs.forEach((labels, i) => labels.forEach((label, axis) => {
    const [size, d] = [sizes.get(label), shapes[i]![axis]!];
    const first = seenAt.get(label) ?? [i, axis];
    seenAt.set(label, first);
    if (!label.startsWith('…')) {
      if (size !== undefined && size !== d) fail(`index '${label}' of ${eq} has size ${size} (${where(first)}) but ${d} (${where([i, axis])})`);
      sizes.set(label, d);
    } else if (size === undefined || size === 1 || d === 1 || size === d) {
      // numpy broadcasting, allowed under '...' only (as in numpy and TensorFlow).
      sizes.set(label, size === undefined || size === 1 ? d : size);
    } else {
      fail(`the dimensions '...' stands for in ${eq} do not broadcast: ${dotShapes()}`);
    }
  }));

  if (!output) {
    // Implicit output (numpy's): the `...` dimensions, then the letters used once, in character order.
    const letters = inputs.flat().filter((l) => !l.startsWith('…'));
    const once = [...new Set(letters)].filter((l) => letters.indexOf(l) === letters.lastIndexOf(l)).sort();
    return { inputs, output: [...dotLabels(broadcastRank), ...once], sizes };
  }
  const [, head, dots, tail] = output;
  const letters = [...head!, ...(tail ?? '')];
  for (const [k, l] of letters.entries()) {
    if (!sizes.has(l)) fail(`output index '${l}' of ${eq} appears in no input`);
    if (letters.indexOf(l) !== k) fail(`output index '${l}' of ${eq} is repeated; each output index appears once`);
  }
  if (!dots && broadcastRank > 0) {
    fail(`the output of ${eq} has no '...' to keep the dimensions '...' stands for in the inputs: ${dotShapes()}`);
  }
  return { inputs, output: [...head!, ...(dots ? dotLabels(broadcastRank) : []), ...(tail ?? '')], sizes };
}

/** transpose, skipped when `perm` leaves every dimension in place. */
function moveAxes(t: Tensor, perm: readonly number[]): Tensor {
  return perm.every((p, i) => p === i) ? t : transpose(t, perm);
}

/** `t` with its dimensions, labeled `from`, reordered to `to`. */
function permute(t: Tensor, from: readonly string[], to: readonly string[]): Tensor {
  return moveAxes(t, to.map((l) => from.indexOf(l)));
}

/**
 * One operand with each label once: size-1 dimensions that `...` broadcasting stretches dropped
 * (the operands with the full dimension carry it, so no copy is made), and each repeated letter's
 * diagonal taken.
 */
function prepare(t: Tensor, labels: readonly string[], sizes: ReadonlyMap<string, number>): Labeled {
  const stretched = labels.map((l, a) => t.shape[a] === 1 && sizes.get(l) !== 1);
  let x: Labeled = stretched.some(Boolean)
    ? { t: reshape(t, t.shape.filter((_, a) => !stretched[a])), labels: labels.filter((_, a) => !stretched[a]) }
    : { t, labels };
  for (const label of new Set(x.labels)) {
    const axes = x.labels.flatMap((l, a) => (l === label ? [a] : []));
    if (axes.length < 2) continue;
    // The k repeated axes, moved last and flattened to n^k positions: the diagonal is every
    // (1 + n + … + n^(k−1))-th, a gather (whose gradient scatters back) on that axis.
    const rest = x.labels.flatMap((l, a) => (l === label ? [] : [a]));
    const n = sizes.get(label)!;
    const stride = axes.reduce((s, _, j) => s + n ** j, 0);
    const flat = reshape(moveAxes(x.t, [...rest, ...axes]), [...rest.map((a) => x.t.shape[a]!), n ** axes.length]);
    const positions = tensor(Int32Array.from({ length: n }, (_, i) => i * stride), [n], 'int32');
    x = { t: gather(flat, positions, rest.length), labels: [...rest.map((a) => x.labels[a]!), label] };
  }
  return x;
}

/** Sums the dimensions whose labels are not in `keep`: those no later step needs go first, while the tensor is small. */
function sumOthers(x: Labeled, keep: ReadonlySet<string>): Labeled {
  const axes = x.labels.flatMap((l, a) => (keep.has(l) ? [] : [a]));
  return axes.length ? { t: sum(x.t, axes), labels: x.labels.filter((l) => keep.has(l)) } : x;
}

/**
 * a · b as one batched matMul [batch, rows, inner]·[batch, inner, cols]: shared labels still
 * needed `later` are the batch, the other shared ones the inner dimension. An operand already laid
 * out [batch, inner, rows] is passed transposed instead of moved (b of 'bhqd,bhkd->bhqk').
 */
function contract(a: Labeled, b: Labeled, later: ReadonlySet<string>, sizes: ReadonlyMap<string, number>): Labeled {
  const shared = a.labels.filter((l) => b.labels.includes(l));
  const batch = shared.filter((l) => later.has(l));
  const inner = shared.filter((l) => !later.has(l));
  const rows = a.labels.filter((l) => !shared.includes(l));
  const cols = b.labels.filter((l) => !shared.includes(l));
  const size = (ls: readonly string[]): number => sizeOf(ls.map((l) => sizes.get(l)!));
  const asMatrices = (x: Labeled, first: string[], second: string[]): [Tensor, boolean] => {
    const flipped = first.length > 0 && second.length > 0 && [...batch, ...second, ...first].every((l, i) => l === x.labels[i]);
    const [p, q] = flipped ? [second, first] : [first, second];
    return [reshape(permute(x.t, x.labels, [...batch, ...p, ...q]), [size(batch), size(p), size(q)]), flipped];
  };
  const [x, transposeA] = asMatrices(a, rows, inner);
  const [y, transposeB] = asMatrices(b, inner, cols);
  const labels = [...batch, ...rows, ...cols];
  return { t: reshape(matMul(x, y, transposeA, transposeB), labels.map((l) => sizes.get(l)!)), labels };
}

/**
 * Einstein summation, as tf.einsum and numpy.einsum: `einsum('ij,jk->ik', a, b)` is a·b. Without
 * '->' the output is numpy's implicit one ('...', then the letters used once, sorted). A letter
 * repeated in one operand takes its diagonal ('ii->i'); `...` stands for broadcast batch
 * dimensions. Made of transpose, reshape, gather, sum and batched matMul, so every backend runs
 * it and its gradient comes from theirs. Float32 operands only (matMul's).
 */
export function einsum(equation: string, ...operands: TensorLike[]): Tensor {
  return withTensors('einsum', operands, (...ts) => {
    const { inputs, output, sizes } = plan(equation, ts.map((t) => t.shape));
    ts.forEach((t, i) => {
      if (t.dtype !== 'float32') throw new Error(`einsum: expected float32 operands, got ${t.dtype} ${formatShape(t.shape)} for operand ${i} of '${equation}'; cast it first`);
    });
    return tidy(() => {
      const terms = ts.map((t, i) => prepare(t, inputs[i]!, sizes));
      const keptBy = (others: readonly Labeled[]): Set<string> => new Set([...output, ...others.flatMap((o) => o.labels)]);
      // Left to right: each new operand is contracted into the running product.
      let result = sumOthers(terms[0]!, keptBy(terms.slice(1)));
      for (let i = 1; i < terms.length; i++) {
        const later = keptBy(terms.slice(i + 1));
        result = contract(result, sumOthers(terms[i]!, keptBy([result, ...terms.slice(i + 1)])), later, sizes);
      }
      // A reshape even when nothing moved ('ij->ij'): the result is then never an operand itself.
      return reshape(permute(result.t, result.labels, output), output.map((l) => sizes.get(l)!));
    });
  });
}
