import type { Tensor } from '../tensor/tensor.js';
import { GatedRecurrent, type GatedRecurrentConfig } from './gated-recurrent.js';
import type { ConfigDict } from './layer.js';
import { registerClass, type LayerClass } from './registry.js';
import type { RecurrentState } from './recurrent.js';
import type { OptionList, OwnOptions } from './layer-options.js';
import { gruBias, gruStep } from './recurrent-steps.js';

export interface GRUConfig<ReturnState extends boolean = boolean> extends GatedRecurrentConfig<ReturnState> {
  /**
   * Apply the reset gate after the recurrent product (Keras 3's default and cuDNN's), with a
   * second bias for that product: the bias is [2, 3·units], its rows the input's and the
   * recurrent product's. False: before it, one bias [3·units]. Default true.
   */
  resetAfter?: boolean;
}

/**
 * Keras's GRU. The kernels hold the gates z (update), r (reset) and h (candidate) side by side
 * ([features, 3·units] and [units, 3·units]). With x_• = x_t·kernel_• + b_• and U the recurrent
 * kernel: z = σ(x_z + h·U_z), r = σ(x_r + h·U_r), and the candidate
 * ĥ = act(x_h + r·(h·U_h + b'_h)) (resetAfter; b' the recurrent bias, also added to the z and r
 * products) or act(x_h + (r·h)·U_h); then h_t = z·h_{t−1} + (1 − z)·ĥ, from h = 0 or the
 * initial state given.
 */
export class GRU<ReturnState extends boolean = false> extends GatedRecurrent<ReturnState> {
  static override readonly className = 'GRU';
  static override readonly options: OptionList = { resetAfter: true } satisfies OwnOptions<GRUConfig, GatedRecurrentConfig>;
  readonly resetAfter: boolean;

  constructor(unitsOrConfig: number | GRUConfig<ReturnState>, config: Omit<GRUConfig<ReturnState>, 'units'> = {}) {
    const full: GRUConfig<ReturnState> = typeof unitsOrConfig === 'number' ? { ...config, units: unitsOrConfig } : unitsOrConfig;
    super(full, 3);
    this.resetAfter = full.resetAfter ?? true;
  }

  protected override biasShape(): number[] {
    return this.resetAfter ? [2, 3 * this.units] : [3 * this.units];
  }

  protected override inputBias(): Tensor | null {
    return gruBias(this.bias, this.resetAfter).input;
  }

  protected override step(x: Tensor, state: RecurrentState, h: Tensor | undefined): Tensor[] {
    return gruStep(this.stepWeights, this.resetAfter, gruBias(this.bias, this.resetAfter).recurrent, x, state?.[0], h);
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), resetAfter: this.resetAfter };
  }
}
registerClass(GRU as LayerClass);
