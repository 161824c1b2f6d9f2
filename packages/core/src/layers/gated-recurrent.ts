import { getActivation, resolveActivation, type ActivationIdentifier } from './activations.js';
import type { ConfigDict } from './layer.js';
import { Recurrent, type RecurrentConfig } from './recurrent.js';
import type { OptionList, OwnOptions } from './layer-options.js';
import type { GatedStepWeights } from './recurrent-steps.js';

export interface GatedRecurrentConfig<ReturnState extends boolean = boolean> extends RecurrentConfig<ReturnState> {
  /** Applied to the gates, which weigh how much of each signal passes. Default 'sigmoid'. */
  recurrentActivation?: ActivationIdentifier | string;
}

/** A recurrent layer with gates (LSTM, GRU): they share the gates' activation. */
export abstract class GatedRecurrent<ReturnState extends boolean = boolean> extends Recurrent<ReturnState> {
  static override readonly options: OptionList = { recurrentActivation: true } satisfies OwnOptions<GatedRecurrentConfig, RecurrentConfig>;
  readonly recurrentActivation: ActivationIdentifier;

  constructor(config: GatedRecurrentConfig<ReturnState>, gates: number) {
    super(config, gates);
    this.recurrentActivation = resolveActivation(config.recurrentActivation ?? 'sigmoid');
  }

  protected override get stepWeights(): GatedStepWeights {
    return { ...super.stepWeights, activateGate: getActivation(this.recurrentActivation) };
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), recurrentActivation: this.recurrentActivation };
  }
}
