import { L1L2 } from '../regularizers/index.js';
import { NON_NEGATIVE, numberArgument } from '../util/arguments.js';
import type { ConfigDict, LayerConfig } from './layer.js';
import { registerClass, type LayerClass } from './registry.js';
import { SameShapeLayer } from './same-shape-layer.js';
import type { OptionList, OwnOptions } from './layer-options.js';

export interface ActivityRegularizationConfig extends Omit<LayerConfig, 'activityRegularizer'> {
  /** Factor of Σ|output|. Default 0. */
  l1?: number;
  /** Factor of Σ output². Default 0. */
  l2?: number;
}

/**
 * Keras's ActivityRegularization: passes its inputs through and, on every call, adds
 * (l1·Σ|x| + l2·Σx²) / batch of them to the layer's losses, which fit adds to the loss it
 * minimizes. It is an activity regularizer without a layer to hang on: Keras builds it as an
 * L1L2 activity regularizer, and so does this one, so the penalty is divided by the batch size
 * as every activity regularizer's is.
 */
export class ActivityRegularization extends SameShapeLayer {
  static override readonly className = 'ActivityRegularization';
  static override readonly options: OptionList = { l1: true, l2: true } satisfies OwnOptions<ActivityRegularizationConfig, LayerConfig>;
  readonly l1: number;
  readonly l2: number;

  constructor(config: ActivityRegularizationConfig = {}) {
    // l1 and l2 are the regularizer; another one would replace it.
    if ((config as LayerConfig).activityRegularizer != null) throw new Error("ActivityRegularization: activityRegularizer is not an option; l1 and l2 set the penalty");
    const l1 = numberArgument('ActivityRegularization', 'l1', config.l1 ?? 0, NON_NEGATIVE);
    const l2 = numberArgument('ActivityRegularization', 'l2', config.l2 ?? 0, NON_NEGATIVE);
    super({ ...config, activityRegularizer: new L1L2({ l1, l2 }) });
    this.l1 = l1;
    this.l2 = l2;
  }

  /** l1 and l2 rather than the regularizer they make, as Keras writes it. */
  override getConfig(): ConfigDict {
    const { activityRegularizer: _made, ...config } = super.getConfig();
    return { ...config, l1: this.l1, l2: this.l2 };
  }
}
registerClass(ActivityRegularization as LayerClass);
