import { GradientTape, sub, mul, tidy, variable, type Tensor } from '@perceptron/core';
import { beforeAll, expect } from 'vitest';
import { MLP_SHAPES, mlpGradientReference, mlpLoss, mlpLossReference, mlpTensors, readInTidy, reference } from '../src/index.js';
import { backendIt, forEachBackend, reportTally } from './support/harness.js';
import { onBackend } from './support/on-backend.js';
import { expectClose } from './support/values.js';

interface Run {
  loss: number;
  gradients: Record<string, number[]>;
  /** Losses of five SGD steps (lr 0.2) from the same start. */
  losses: number[];
}

/** The MLP's loss, its gradients and a short training run on the active backend. */
function run(): Run & { params: Record<string, number[]>; x: number[] } {
  return readInTidy(() => {
    const { params, x, labels } = mlpTensors();
    const vars = Object.fromEntries(Object.entries(params).map(([k, t]) => [k, variable(t)]));
    const tape = new GradientTape();
    const loss = tape.record(() => mlpLoss(vars, x, labels));
    const grads = tape.gradient(loss, vars);
    const out = {
      loss: loss.dataSync()[0]!,
      gradients: Object.fromEntries(Object.entries(grads).map(([k, g]) => [k, Array.from(g!.dataSync())])),
      params: Object.fromEntries(Object.entries(params).map(([k, t]) => [k, Array.from(t.dataSync())])),
      x: Array.from(x.dataSync()),
      losses: [] as number[],
    };
    for (let step = 0; step < 5; step++) {
      tidy(() => {
        const t = new GradientTape();
        const l = t.record(() => mlpLoss(vars, x, labels));
        out.losses.push(l.dataSync()[0]!);
        const g = t.gradient(l, vars);
        for (const [k, v] of Object.entries(vars)) v.assign(sub(v, mul(g[k]! as Tensor, 0.2)));
      });
    }
    for (const v of Object.values(vars)) v.dispose();
    return out;
  });
}

forEachBackend('mlp', (backend) => {
  let naive: Run;
  beforeAll(async () => {
    naive = await onBackend('naive', run);
  });

  backendIt(backend, 'loss and gradients match the float64 oracle (finite differences)', () => {
    const r = run();
    const p = Object.fromEntries(Object.entries(r.params).map(([k, v]) => [k, reference.ndarray(MLP_SHAPES[k]!, v)]));
    const x = reference.ndarray([8, 5], r.x);
    expectClose([r.loss], [mlpLossReference(p, x)], 1e-6);
    const want = mlpGradientReference(p, x);
    for (const k of Object.keys(want)) expectClose(r.gradients[k]!, want[k]!, 1e-4, 1e-6);
  });

  backendIt(backend, 'loss, gradients and five SGD steps agree with naive', () => {
    const r = run();
    expectClose([r.loss], [naive.loss], 1e-6);
    for (const k of Object.keys(naive.gradients)) expectClose(r.gradients[k]!, naive.gradients[k]!, 1e-4, 1e-6);
    expectClose(r.losses, naive.losses, 1e-5);
    expect(r.losses[4]!).toBeLessThan(r.losses[0]!);
  });
});

reportTally('mlp');
