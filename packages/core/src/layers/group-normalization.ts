import { reshape } from '../ops/reshape.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Shape } from '../types.js';
import { describeValue, INTEGER, numberArgument, type Requirement } from '../util/arguments.js';
import { formatShape } from '../util/shape.js';
import { AffineNormalization, type AffineNormalizationConfig } from './affine-normalization.js';
import type { ConfigDict } from './layer.js';
import { centeredMoments, featureAxes, normalizeCentered } from './normalize.js';
import { registerClass, type LayerClass } from './registry.js';
import type { OptionList, OwnOptions } from './layer-options.js';

export interface GroupNormalizationConfig extends AffineNormalizationConfig {
  /**
   * How many groups of neighbouring channels each sample is normalized in; it must divide the
   * channel count. 1 normalizes all channels together, -1 each channel alone (instance
   * normalization). Default 32.
   */
  groups?: number;
  /** The channel axis; gamma and beta span it. Default -1. */
  axis?: number;
}

const GROUP_COUNT: Requirement = ['a positive integer, or -1 for one group per channel', (x) => Number.isInteger(x) && (x > 0 || x === -1)];

/** How inputs of one shape split into groups, worked out from the shape alone. */
interface Grouping {
  /** The channel axis counted from the start. */
  channel: number;
  /** The input's shape with the channel axis split in two: [..., groups, channels per group, ...]. */
  grouped: number[];
}

/**
 * Keras's GroupNormalization: the channels of each sample are split into `groups` runs of
 * consecutive channels, and each run is normalized with its own mean and (biased) variance over
 * its channels and every other non-batch axis, then scaled by gamma and shifted by beta (per
 * channel); the same in training and inference.
 */
export class GroupNormalization extends AffineNormalization {
  static override readonly className = 'GroupNormalization';
  static override readonly options: OptionList = { groups: true, axis: true } satisfies OwnOptions<GroupNormalizationConfig, AffineNormalizationConfig>;
  /** As given: -1 stays -1 (Keras overwrites it with the channel count when it builds). */
  readonly groups: number;
  readonly axis: number;

  constructor(config: GroupNormalizationConfig = {}) {
    super(config);
    this.groups = numberArgument('GroupNormalization', 'groups', config.groups ?? 32, GROUP_COUNT);
    const axis: unknown = config.axis ?? -1;
    // Keras's documentation allows a list, but its layer reads one channel axis only.
    if (Array.isArray(axis)) throw new Error(`GroupNormalization: axis must be one integer (the channel axis), got ${describeValue(axis)}`);
    this.axis = numberArgument('GroupNormalization', 'axis', axis, INTEGER);
  }

  override build(inputShape: Shape): void {
    // Checked before any weight exists, so a refused shape leaves the layer unbuilt and empty.
    const { channel } = this.#grouping(inputShape);
    this.addGammaAndBeta(inputShape, [channel]);
  }

  /**
   * The grouping of inputs of `shape`, or an error naming the groups and the channel count when
   * one does not divide the other. Worked out on every call: without gamma and beta nothing ties
   * the layer to the shape it was built for.
   */
  #grouping(shape: Shape): Grouping {
    const [channel] = featureAxes(this.label, this.axis, shape) as [number];
    const channels = shape[channel]!;
    const groups = this.groups === -1 ? channels : this.groups;
    if (channels % groups !== 0) {
      throw new Error(`${this.label}: expected a channel count that is a multiple of groups ${groups}, got ${channels} channels (axis ${this.axis} of inputs of shape ${formatShape(shape)})`);
    }
    return { channel, grouped: [...shape.slice(0, channel), groups, channels / groups, ...shape.slice(channel + 1)] };
  }

  /** As Keras: the mask passes through unchanged, although masked steps count in the statistics. */
  override get supportsMasking(): boolean {
    return true;
  }

  override call(inputs: Tensor): Tensor {
    const { channel, grouped } = this.#grouping(inputs.shape);
    // In the grouped shape the group index sits at `channel`; each (sample, group) pair is
    // normalized over everything else.
    const reduced = grouped.map((_, i) => i).filter((i) => i !== 0 && i !== channel);
    const { variance, centered } = centeredMoments(reshape(inputs, grouped), reduced);
    const perChannel = grouped.map((d, i) => (i === channel || i === channel + 1 ? d : 1));
    const gamma = this.gamma && reshape(this.gamma, perChannel);
    const beta = this.beta && reshape(this.beta, perChannel);
    return reshape(normalizeCentered(centered, variance, this.epsilon, gamma, beta), inputs.shape);
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), groups: this.groups, axis: this.axis };
  }
}
registerClass(GroupNormalization as LayerClass);
