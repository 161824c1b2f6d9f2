import { Initializer, getInitializer, type InitializerIdentifier } from '../initializers/index.js';
import { concat } from '../ops/concat.js';
import { ones } from '../ops/creation.js';
import type { Tensor } from '../tensor/tensor.js';
import type { DType, Shape } from '../types.js';
import { GatedRecurrent, type GatedRecurrentConfig } from './gated-recurrent.js';
import type { ConfigDict } from './layer.js';
import { registerClass, type LayerClass } from './registry.js';
import type { RecurrentState } from './recurrent.js';
import type { OptionList, OwnOptions } from './layer-options.js';
import { lstmStep } from './recurrent-steps.js';

export interface LSTMConfig<ReturnState extends boolean = boolean> extends GatedRecurrentConfig<ReturnState> {
  /** Start the forget gate's bias at 1 (the rest from biasInitializer), so the carry is kept early in training. Default true. */
  unitForgetBias?: boolean;
}

/**
 * Keras's LSTM. The kernels hold the gates i, f, c, o side by side ([features, 4·units] and
 * [units, 4·units]); with z = x_t·kernel + h_{t−1}·recurrentKernel + bias split into them:
 * c_t = σ(z_f)·c_{t−1} + σ(z_i)·act(z_c), h_t = σ(z_o)·act(c_t), from h = c = 0 (σ: the
 * recurrent activation), or from the initial states given. The output is h; with returnState,
 * [output, h, c].
 */
export class LSTM<ReturnState extends boolean = false> extends GatedRecurrent<ReturnState> {
  static override readonly className = 'LSTM';
  static override readonly options: OptionList = { unitForgetBias: true } satisfies OwnOptions<LSTMConfig, GatedRecurrentConfig>;
  readonly unitForgetBias: boolean;

  constructor(unitsOrConfig: number | LSTMConfig<ReturnState>, config: Omit<LSTMConfig<ReturnState>, 'units'> = {}) {
    const full: LSTMConfig<ReturnState> = typeof unitsOrConfig === 'number' ? { ...config, units: unitsOrConfig } : unitsOrConfig;
    super(full, 4);
    this.unitForgetBias = full.unitForgetBias ?? true;
  }

  /** The output h and the carry c. */
  override get stateNames(): readonly string[] {
    return ['h', 'c'];
  }

  protected override biasInitializerForBuild(): InitializerIdentifier {
    return this.unitForgetBias ? new ForgetGateOnes(getInitializer(this.biasInitializer), this.units) : this.biasInitializer;
  }

  protected override step(x: Tensor, state: RecurrentState, h: Tensor | undefined): Tensor[] {
    return lstmStep(this.stepWeights, x, state?.[1], h);
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), unitForgetBias: this.unitForgetBias };
  }
}
registerClass(LSTM as LayerClass);

/**
 * The LSTM bias with unitForgetBias: `inner`'s values for the i, c and o gates, ones for f, as
 * Keras builds it. Used once, at build; the layer's config keeps the flag and biasInitializer.
 */
export class ForgetGateOnes extends Initializer {
  readonly className = 'ForgetGateOnes';
  constructor(readonly inner: Initializer, readonly units: number) {
    super();
  }

  apply(_shape: Shape, dtype: DType = 'float32'): Tensor {
    return concat([this.inner.apply([this.units], dtype), ones([this.units], dtype), this.inner.apply([2 * this.units], dtype)]);
  }
}
