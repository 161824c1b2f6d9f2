import type { Tensor } from '../tensor/tensor.js';
import { registerClass, type LayerClass } from './registry.js';
import { Recurrent, type RecurrentConfig, type RecurrentState } from './recurrent.js';
import type { OptionList } from './layer-options.js';
import { simpleRNNStep } from './recurrent-steps.js';

/**
 * Keras's SimpleRNN: h_t = activation(x_t·kernel + bias + h_{t−1}·recurrentKernel), from h = 0
 * or the initial state given. `new SimpleRNN(8, {returnSequences: true})` or `new SimpleRNN({units: 8})`.
 */
export class SimpleRNN<ReturnState extends boolean = false> extends Recurrent<ReturnState> {
  static override readonly className = 'SimpleRNN';
  static override readonly options: OptionList = {};

  constructor(unitsOrConfig: number | RecurrentConfig<ReturnState>, config: Omit<RecurrentConfig<ReturnState>, 'units'> = {}) {
    super(typeof unitsOrConfig === 'number' ? { ...config, units: unitsOrConfig } : unitsOrConfig, 1);
  }

  protected override step(x: Tensor, _state: RecurrentState, h: Tensor | undefined): Tensor[] {
    return simpleRNNStep(this.stepWeights, x, h);
  }
}
registerClass(SimpleRNN as LayerClass);
