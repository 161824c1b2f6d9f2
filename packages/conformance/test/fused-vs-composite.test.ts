import { dense, getBackend, reshape, setBackend, slice, tensor, tidy } from '@perceptron/core';
import { beforeAll, expect } from 'vitest';
import { FUSED_KERNEL_OPS, fusedKernelsOf, registerCompositeTwin } from '../src/backends.js';
import { CASES, checkAgreement, checkForward, checkGradient, evaluate } from '../src/index.js';
import { backendIt, forEachBackend, reportTally } from './support/harness.js';

// Ops with an optional fused kernel run on each backend as it is, and on `<name>-composite`
// (the same backend with its fused kernels hidden, so core composes primitives). Both paths
// must agree with each other and with the float64 oracle, values and gradients.
const FUSED_OPS = new Set<string>(Object.values(FUSED_KERNEL_OPS));
const cases = CASES.filter((c) => FUSED_OPS.has(c.op));

forEachBackend('fused vs composite', (backend) => {
  let twin = '';
  beforeAll(async () => {
    twin = await registerCompositeTwin(backend);
  });

  backendIt(backend, 'the composite twin really has no fused kernels', async () => {
    const fused = fusedKernelsOf(getBackend());
    await setBackend(twin);
    expect(fusedKernelsOf(getBackend())).toEqual([]);
    expect(getBackend().name).toBe(twin);
    // Recorded for the report: which kernels this backend fuses (none is a valid answer).
    expect(Array.isArray(fused)).toBe(true);
  });

  backendIt(backend, 'dense takes a bias that is a view of another tensor (a reshape, a slice of a row)', () => {
    // x·w = [[1, 2, 3], [3, 4, 7]]; the bias [0.5, 0.25, -1] is added to each row.
    const expected = [1.5, 2.25, 2, 3.5, 4.25, 6];
    tidy(() => {
      const x = tensor([[1, 2], [3, 4]]);
      const w = tensor([[1, 0, 1], [0, 1, 1]]);
      const rows = tensor([[0.5, 0.25, -1], [9, 9, 9]]);
      for (const bias of [reshape(tensor([[0.5, 0.25, -1]]), [3]), reshape(slice(rows, [0, 0], [1, 3]), [3])]) {
        expect(Array.from(dense(x, w, bias).dataSync())).toEqual(expected);
      }
    });
  });

  for (const c of cases) {
    backendIt(backend, `${c.id}: fused and composite agree`, async () => {
      const fused = evaluate(c);
      await setBackend(twin);
      const composite = evaluate(c);
      for (const r of checkAgreement(c, fused, composite)) expect(r.pass, r.message).toBe(true);
    });
    backendIt(backend, `${c.id}: composite path matches the oracle`, async () => {
      await setBackend(twin);
      const results = [checkForward(c, getBackend()), ...checkGradient(c, getBackend())];
      for (const r of results) expect(r.pass, r.message).toBe(true);
    });
  }
});

reportTally('fused-vs-composite');
