import type { InitializerIdentifier } from '../initializers/index.js';
import { optionalRegularizer } from '../regularizers/get-regularizer.js';
import { serializeRegularizer, type Regularizer } from '../regularizers/index.js';
import { resolveActivation, type ActivationIdentifier } from './activations.js';
import { dropoutRate } from './dropout.js';
import { serializeInitializer } from './initializer-config.js';
import type { ConfigDict } from './layer.js';
import type { RecurrentConfig } from './recurrent.js';

// What a recurrent layer (SimpleRNN, LSTM, GRU) and its cell (SimpleRNNCell, LSTMCell, GRUCell)
// share: the settings of their kernels, read and checked in one place and written back to a
// config in one place.

/** The settings of a recurrent layer's kernels, as its config and its cell's config give them. */
export type RecurrentKernelConfig = Pick<RecurrentConfig, 'units' | 'activation' | 'useBias' | 'kernelInitializer' | 'recurrentInitializer' | 'biasInitializer'
  | 'kernelRegularizer' | 'recurrentRegularizer' | 'biasRegularizer' | 'dropout' | 'recurrentDropout' | 'seed'>;

/** Those settings checked, with Keras's defaults. */
export interface RecurrentKernels {
  readonly units: number;
  readonly activation: ActivationIdentifier;
  readonly useBias: boolean;
  readonly kernelInitializer: InitializerIdentifier;
  readonly recurrentInitializer: InitializerIdentifier;
  readonly biasInitializer: InitializerIdentifier;
  readonly kernelRegularizer: Regularizer | null;
  readonly recurrentRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  readonly dropout: number;
  readonly recurrentDropout: number;
  readonly seed: number | undefined;
}

/** `config`'s kernel settings checked, with defaults; errors name `owner`. */
export function readRecurrentKernels(owner: string, config: RecurrentKernelConfig): RecurrentKernels {
  if (!Number.isInteger(config.units) || config.units <= 0) throw new Error(`${owner}: units must be a positive integer, got ${JSON.stringify(config.units)}`);
  return {
    units: config.units,
    activation: resolveActivation(config.activation ?? 'tanh'),
    useBias: config.useBias ?? true,
    kernelInitializer: config.kernelInitializer ?? 'glorotUniform',
    recurrentInitializer: config.recurrentInitializer ?? 'orthogonal',
    biasInitializer: config.biasInitializer ?? 'zeros',
    kernelRegularizer: optionalRegularizer(config.kernelRegularizer),
    recurrentRegularizer: optionalRegularizer(config.recurrentRegularizer),
    biasRegularizer: optionalRegularizer(config.biasRegularizer),
    dropout: dropoutRate(owner, 'dropout', config.dropout ?? 0),
    recurrentDropout: dropoutRate(owner, 'recurrentDropout', config.recurrentDropout ?? 0),
    seed: config.seed,
  };
}

/** The kernel settings as a config records them. */
export function recurrentKernelsConfig(k: RecurrentKernels): ConfigDict {
  return {
    units: k.units,
    activation: k.activation,
    useBias: k.useBias,
    kernelInitializer: serializeInitializer(k.kernelInitializer),
    recurrentInitializer: serializeInitializer(k.recurrentInitializer),
    biasInitializer: serializeInitializer(k.biasInitializer),
    kernelRegularizer: serializeRegularizer(k.kernelRegularizer),
    recurrentRegularizer: serializeRegularizer(k.recurrentRegularizer),
    biasRegularizer: serializeRegularizer(k.biasRegularizer),
    dropout: k.dropout,
    recurrentDropout: k.recurrentDropout,
    ...(k.seed === undefined ? {} : { seed: k.seed }),
  };
}
