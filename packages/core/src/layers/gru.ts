import { add, mul, sub } from '../ops/arithmetic.js';
import { matMul } from '../ops/matmul.js';
import { reshape } from '../ops/reshape.js';
import { slice } from '../ops/slice.js';
import type { Tensor } from '../tensor/tensor.js';
import { GatedRecurrent, type GatedRecurrentConfig } from './gated-recurrent.js';
import type { ConfigDict } from './layer.js';
import { registerClass, type LayerClass } from './registry.js';
import type { RecurrentState } from './recurrent.js';
import type { OptionList, OwnOptions } from './layer-options.js';

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
    return this.bias && this.resetAfter ? reshape(slice(this.bias, [0, 0], [1, -1]), [-1]) : this.bias;
  }

  protected override step(x: Tensor, state: RecurrentState, h: Tensor | undefined): Tensor[] {
    const previous = state?.[0];
    const recurrent = this.#recurrentProducts(h);
    const gateInput = (index: number) => (recurrent ? add(this.gate(x, index), this.gate(recurrent, index)) : this.gate(x, index));
    const update = this.activateGate(gateInput(0));
    const reset = this.activateGate(gateInput(1));
    const resetRecurrent = this.resetAfter
      ? recurrent && mul(reset, this.gate(recurrent, 2))
      : h && matMul(mul(reset, h), slice(this.recurrentKernel!, [0, 2 * this.units], [-1, this.units]));
    const candidate = this.activate(resetRecurrent ? add(this.gate(x, 2), resetRecurrent) : this.gate(x, 2));
    const fresh = mul(sub(1, update), candidate);
    return [previous ? add(mul(update, previous), fresh) : fresh];
  }

  /**
   * h·U plus the recurrent bias (resetAfter: all three gates; otherwise z and r only, as the
   * candidate's product needs r first); before the first step (h = 0) the bias alone, or null.
   */
  #recurrentProducts(h: Tensor | undefined): Tensor | null {
    if (!this.resetAfter) return h ? matMul(h, slice(this.recurrentKernel!, [0, 0], [-1, 2 * this.units])) : null;
    const bias = this.bias && slice(this.bias, [1, 0], [1, -1]);
    const product = h && matMul(h, this.recurrentKernel!);
    return product && bias ? add(product, bias) : (product ?? bias);
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), resetAfter: this.resetAfter };
  }
}
registerClass(GRU as LayerClass);
