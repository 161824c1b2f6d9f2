import { getInitializer, type InitializerIdentifier } from '../initializers/index.js';
import { dense } from '../ops/dense.js';
import type { Tensor } from '../tensor/tensor.js';
import { GatedKernelCell, type CellConfig } from './kernel-cell.js';
import type { ConfigDict } from './layer.js';
import type { OptionList, OwnOptions } from './layer-options.js';
import { ForgetGateOnes, type LSTMConfig } from './lstm.js';
import { lstmStep } from './recurrent-steps.js';
import { registerClass, type LayerClass } from './registry.js';

export interface LSTMCellConfig extends CellConfig {
  /** As LSTM's: the forget gate's bias starts at 1. Default true. */
  unitForgetBias?: boolean;
}

/** Keras's LSTMCell: LSTM's step (gates i, f, c, o) with states [h, c], for `new RNN(cell)`. */
export class LSTMCell extends GatedKernelCell {
  static override readonly className = 'LSTMCell';
  static override readonly options: OptionList = { unitForgetBias: true } satisfies OwnOptions<Pick<LSTMConfig, 'unitForgetBias'>, object>;
  readonly unitForgetBias: boolean;

  constructor(unitsOrConfig: number | LSTMCellConfig, config: Omit<LSTMCellConfig, 'units'> = {}) {
    const full: LSTMCellConfig = typeof unitsOrConfig === 'number' ? { ...config, units: unitsOrConfig } : unitsOrConfig;
    super(full, 4);
    this.unitForgetBias = full.unitForgetBias ?? true;
  }

  override get stateSize(): readonly number[] {
    return [this.units, this.units];
  }

  protected override biasInitializerForBuild(): InitializerIdentifier {
    return this.unitForgetBias ? new ForgetGateOnes(getInitializer(this.biasInitializer), this.units) : this.biasInitializer;
  }

  step(input: Tensor, states: readonly Tensor[]): [Tensor, Tensor[]] {
    const read = this.dropped(input, this.stateAt(states, 0));
    const next = lstmStep(this.stepWeights, dense(read.input, this.kernel!, this.bias), this.stateAt(states, 1), read.h);
    return [next[0]!, next];
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), unitForgetBias: this.unitForgetBias };
  }
}
registerClass(LSTMCell as LayerClass);
