import { dense } from '../ops/dense.js';
import type { Tensor } from '../tensor/tensor.js';
import { KernelCell, type CellConfig } from './kernel-cell.js';
import type { OptionList } from './layer-options.js';
import { simpleRNNStep } from './recurrent-steps.js';
import { registerClass, type LayerClass } from './registry.js';

/** Keras's SimpleRNNCell: SimpleRNN's step, h_t = act(x_t·kernel + bias + h·recurrentKernel), for `new RNN(cell)`. */
export class SimpleRNNCell extends KernelCell {
  static override readonly className = 'SimpleRNNCell';
  static override readonly options: OptionList = {};

  constructor(unitsOrConfig: number | CellConfig, config: Omit<CellConfig, 'units'> = {}) {
    super(typeof unitsOrConfig === 'number' ? { ...config, units: unitsOrConfig } : unitsOrConfig, 1);
  }

  step(input: Tensor, states: readonly Tensor[]): [Tensor, Tensor[]] {
    const read = this.dropped(input, this.stateAt(states, 0));
    const [next] = simpleRNNStep(this.stepWeights, dense(read.input, this.kernel!, this.bias), read.h);
    return [next!, [next!]];
  }
}
registerClass(SimpleRNNCell as LayerClass);
