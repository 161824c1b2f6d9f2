import { dense } from '../ops/dense.js';
import type { Tensor } from '../tensor/tensor.js';
import type { GRUConfig } from './gru.js';
import { GatedKernelCell, type CellConfig } from './kernel-cell.js';
import type { ConfigDict } from './layer.js';
import type { OptionList, OwnOptions } from './layer-options.js';
import { gruBias, gruStep } from './recurrent-steps.js';
import { registerClass, type LayerClass } from './registry.js';

export interface GRUCellConfig extends CellConfig {
  /** As GRU's: the reset gate after the recurrent product, with a bias [2, 3·units]. Default true. */
  resetAfter?: boolean;
}

/** Keras's GRUCell: GRU's step (gates z, r, h) with state [h], for `new RNN(cell)`. */
export class GRUCell extends GatedKernelCell {
  static override readonly className = 'GRUCell';
  static override readonly options: OptionList = { resetAfter: true } satisfies OwnOptions<Pick<GRUConfig, 'resetAfter'>, object>;
  readonly resetAfter: boolean;

  constructor(unitsOrConfig: number | GRUCellConfig, config: Omit<GRUCellConfig, 'units'> = {}) {
    const full: GRUCellConfig = typeof unitsOrConfig === 'number' ? { ...config, units: unitsOrConfig } : unitsOrConfig;
    super(full, 3);
    this.resetAfter = full.resetAfter ?? true;
  }

  protected override biasShape(): number[] {
    return this.resetAfter ? [2, 3 * this.units] : [3 * this.units];
  }

  step(input: Tensor, states: readonly Tensor[]): [Tensor, Tensor[]] {
    const h = this.stateAt(states, 0);
    const read = this.dropped(input, h);
    const bias = gruBias(this.bias, this.resetAfter);
    const [next] = gruStep(this.stepWeights, this.resetAfter, bias.recurrent, dense(read.input, this.kernel!, bias.input), h, read.h);
    return [next!, [next!]];
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), resetAfter: this.resetAfter };
  }
}
registerClass(GRUCell as LayerClass);
