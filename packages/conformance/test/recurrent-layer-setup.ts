// A recurrent layer of a RecurrentCase, built and with drawn weights: shared by the tests that
// hold recurrent layers to recurrent-reference.ts.
import * as pc from '@perceptron/core';
import { draws } from './training-api-layer-checks.js';
import type { RecurrentCase, Weights } from './recurrent-reference.js';

function makeLayer<ReturnState extends boolean = false>(c: RecurrentCase, returnState?: ReturnState): pc.Recurrent<ReturnState> {
  const config = { ...c.config, units: c.units, returnState };
  return c.kind === 'SimpleRNN' ? new pc.SimpleRNN(config) : c.kind === 'LSTM' ? new pc.LSTM(config) : new pc.GRU(config);
}

/** The layer built for the case's shape, its weights set to draws (the initial zeros of the bias would hide mistakes). */
export function builtLayer<ReturnState extends boolean = false>(c: RecurrentCase, returnState?: ReturnState): { layer: pc.Recurrent<ReturnState>; weights: Weights } {
  const layer = makeLayer(c, returnState);
  layer.ensureBuilt(c.shape);
  const weights: Weights = {
    kernel: draws(layer.kernel!.size, 3, -0.7, 0.7),
    recurrent: draws(layer.recurrentKernel!.size, 4, -0.7, 0.7),
    bias: layer.bias ? draws(layer.bias.size, 5, -0.5, 0.5) : null,
  };
  pc.tidy(() => {
    layer.kernel!.assign(pc.tensor(weights.kernel, layer.kernel!.shape));
    layer.recurrentKernel!.assign(pc.tensor(weights.recurrent, layer.recurrentKernel!.shape));
    if (layer.bias) layer.bias.assign(pc.tensor(weights.bias!, layer.bias.shape));
  });
  return { layer, weights };
}
