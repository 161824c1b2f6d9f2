import { add, mul } from '../ops/arithmetic.js';
import { cast } from '../ops/cast.js';
import { tensor } from '../ops/convert.js';
import type { Tensor } from '../tensor/tensor.js';
import { formatShape } from '../util/shape.js';
import type { ConfigDict, LayerConfig } from './layer.js';
import { registerClass, type LayerClass } from './registry.js';
import { SameShapeLayer } from './same-shape-layer.js';
import type { OptionList, OwnOptions } from './layer-options.js';

export interface RescalingConfig extends LayerConfig {
  /** Multiplies the inputs: one number, or one per index of the last axis (per channel). */
  scale: number | readonly number[];
  /** Added after scaling, as `scale`. Default 0. */
  offset?: number | readonly number[];
}

/** A number, or a non-empty list of them, as Rescaling takes `option`; else an error naming it. */
function factor(option: string, value: unknown): number | number[] {
  const isNumber = (v: unknown) => typeof v === 'number' && Number.isFinite(v);
  if (isNumber(value)) return value as number;
  if (Array.isArray(value) && value.length > 0 && value.every(isNumber)) return [...(value as number[])];
  throw new Error(`Rescaling: ${option} must be a finite number or a non-empty list of them, got ${JSON.stringify(value)}`);
}

/**
 * Keras's Rescaling: inputs · scale + offset, cast to float32 first (images arrive as integers).
 * `new Rescaling({scale: 1 / 255})` maps pixels to [0, 1], `{scale: 1 / 127.5, offset: -1}` to
 * [−1, 1]. A list scales each index of the last axis by its own factor.
 */
export class Rescaling extends SameShapeLayer {
  static override readonly className = 'Rescaling';
  static override readonly options: OptionList = { scale: true, offset: true } satisfies OwnOptions<RescalingConfig, LayerConfig>;
  readonly scale: number | number[];
  readonly offset: number | number[];

  constructor(config: RescalingConfig) {
    super(config);
    this.scale = factor('scale', config?.scale);
    this.offset = factor('offset', config.offset ?? 0);
  }

  override call(inputs: Tensor): Tensor {
    const floats = inputs.dtype === 'float32' ? inputs : cast(inputs, 'float32');
    return add(mul(floats, this.#alongLastAxis(this.scale, inputs)), this.#alongLastAxis(this.offset, inputs));
  }

  /** A factor as a tensor broadcasting along the inputs' last axis, whose length a list must match. */
  #alongLastAxis(value: number | number[], inputs: Tensor): number | Tensor {
    if (typeof value === 'number') return value;
    if (value.length !== 1 && value.length !== inputs.shape.at(-1)) {
      throw new Error(`${this.label}: a list of ${value.length} factors scales the last axis, but the inputs have shape ${formatShape(inputs.shape)}`);
    }
    return tensor(value, [value.length]);
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), scale: this.scale, offset: this.offset };
  }
}
registerClass(Rescaling as LayerClass);
