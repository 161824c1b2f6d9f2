import '@perceptron/backend-naive';
import * as pc from '@perceptron/core';
import { beforeAll, describe, expect, it } from 'vitest';

describe('traceOps', () => {
  beforeAll(async () => {
    await pc.setBackend('naive');
  });

  it('reports each op of a forward pass in order, with its settings; composites appear as one op', () => {
    const w = pc.variable(pc.ones([3, 2]));
    const x = pc.ones([4, 3]);
    const seen: string[] = [];
    let constant = NaN;
    const y = pc.traceOps(
      () => pc.softmax(pc.mul(pc.matMul(x, w, false, false), 2)),
      (op) => {
        seen.push(`${op.name} ${JSON.stringify(op.attrs)} -> [${op.output.shape.join(',')}]`);
        if (op.name === 'mul') constant = op.inputs[1]!.dataSync()[0]!; // literal operands are read here
      },
    );
    expect(seen).toEqual([
      'matMul {"transposeA":false,"transposeB":false} -> [4,2]',
      'mul {} -> [4,2]',
      'softmax {"axis":-1} -> [4,2]',
    ]);
    expect(constant).toBe(2);
    pc.dispose([w, x, y]);
  });

  it('names the layers applying each op, outermost first', () => {
    const model = new pc.Sequential({ name: 'outer' });
    model.add(new pc.Dense(3, { name: 'hidden', activation: 'relu' }));
    const paths: string[] = [];
    const y = pc.traceOps(() => model.apply(pc.ones([2, 4])), (op) => paths.push(`${op.name}@${op.layerPath.join('/')}`));
    expect(paths).toContain('dense@outer/hidden');
    pc.traceOps(() => pc.dispose(pc.add(1, 2)), (op) => expect(op.layerPath).toEqual([]));
    pc.dispose([y, ...model.weights]);
  });

  it('stops observing when the function returns or throws', () => {
    let count = 0;
    expect(() => pc.traceOps(() => { pc.dispose(pc.add(1, 2)); throw new Error('stop'); }, () => count++)).toThrow('stop');
    pc.dispose(pc.add(1, 2));
    expect(count).toBe(1);
  });

  it('rejects a missing observer before running anything', () => {
    let ran = false;
    // @ts-expect-error: the observer is missing, as a JavaScript caller might leave it.
    expect(() => pc.traceOps(() => { ran = true; })).toThrow('traceOps: expected two functions (fn, onOp), got function and undefined');
    expect(ran).toBe(false);
    pc.dispose(pc.add(1, 2)); // no observer was left behind to fail this op
  });

  it('shows a gradient computing nothing for an operand that leads to no source', () => {
    const x = pc.tensor([0.2, 0.8, 0.5]);
    const scale = pc.tensor([2, 3, 4]);
    const tape = new pc.GradientTape();
    tape.watch(x);
    const loss = tape.record(() => pc.sum(pc.mul(pc.div(pc.maximum(x, 0.5), 1), scale)));
    const backward: string[] = [];
    const dx = pc.traceOps(() => tape.gradient(loss, x)!, (op) => backward.push(op.name));
    expect(dx.dataSync()).toEqual(new Float32Array([0, 3, 4])); // ties pass to x
    // maximum's bound, div's divisor and mul's scale are constants: no `less` mask for the
    // bound, no square for the divisor, one product for mul (dy·scale), none for dy·x.
    expect(backward).not.toContain('less');
    expect(backward).not.toContain('square');
    expect(backward.filter((name) => name === 'mul')).toHaveLength(2); // mul's dy·scale, maximum's mask
    pc.dispose([x, scale, loss, dx]);
  });
});
