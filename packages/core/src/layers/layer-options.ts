import { checkOptions } from '../util/options.js';
import { classNameOf } from '../util/class-name.js';
import type { RegularizerIdentifier } from '../regularizers/index.js';
import type { DType } from '../types.js';
import type { SymbolicShape } from './symbolic-shape.js';

/** The options every layer takes. */
export interface LayerConfig {
  /** Unique by default: the class name in snake_case ('dense', 'dense_1', ...). */
  name?: string;
  /** False makes every weight of this layer and its children non-trainable. Default true. */
  trainable?: boolean;
  /** The dtype of the layer's weights. Default float32. */
  dtype?: DType;
  /** Feature dimensions of the input (no batch), for the first layer of a Sequential. */
  inputShape?: readonly (number | null)[];
  /** The full input shape, batch first (null: any batch size). */
  batchInputShape?: SymbolicShape;
  /** A penalty on the layer's output, added to `losses` on every call (Keras's activity_regularizer). */
  activityRegularizer?: RegularizerIdentifier | null;
}

/**
 * The options a layer class adds to its parent class's: every key of its config its parent's
 * config lacks. As a Record over those keys, adding an option to the config without listing it
 * fails typecheck.
 */
export type OwnOptions<Config, ParentConfig> = Readonly<Record<Exclude<keyof Config, keyof ParentConfig>, true>>;

/** What a layer class lists in its static `options` and `callOptions`. */
export type OptionList = Readonly<Record<string, true>>;

interface ListingClass {
  readonly name: string;
  readonly className?: string;
  readonly options?: OptionList;
  readonly callOptions?: OptionList;
}

type Listing = 'options' | 'callOptions';

/** Each class's known options and call options, once worked out (null: not checked). */
const KNOWN = new WeakMap<ListingClass, Record<Listing, OptionList> | null>();

/**
 * What `cls` and the classes it extends list of their own in each static, or null when `cls`
 * lists no options of its own: a user's layer, whose constructor and call may take options
 * Layer cannot know of, is not checked.
 */
function knownOptions(cls: ListingClass): Record<Listing, OptionList> | null {
  if (KNOWN.has(cls)) return KNOWN.get(cls)!;
  let known: Record<Listing, Record<string, true>> | null = null;
  if (Object.hasOwn(cls, 'options')) {
    known = { options: {}, callOptions: {} };
    for (let c: ListingClass | null = cls; c !== null && c !== Function.prototype; c = Object.getPrototypeOf(c) as ListingClass | null) {
      for (const listing of ['options', 'callOptions'] as const) if (Object.hasOwn(c, listing)) Object.assign(known[listing], c[listing]);
    }
  }
  KNOWN.set(cls, known);
  return known;
}

/**
 * Refuses a config key that no class from `cls` up to Layer lists in its own static `options`,
 * as Keras's Layer refuses a keyword argument no class took (`new Dense(8, {activaton: 'relu'})`
 * would otherwise build a linear layer). The config is the one that reaches Layer: a class that
 * renames its options for its parent (DepthwiseConv2D's depthwiseInitializer is KernelLayer's
 * kernelInitializer) passes on only names its parent lists.
 */
export function refuseUnknownOptions(cls: ListingClass, config: object): void {
  const known = knownOptions(cls);
  if (known) checkOptions(classNameOf(cls), config, known.options);
}

/**
 * Refuses a call option (`apply`'s kwargs) that no class from `cls` up to Layer lists in its
 * static `callOptions`, as Keras refuses a keyword argument `call` does not take:
 * `dropout.apply(x, {trainig: true})` would otherwise not drop. `layer` names the layer.
 */
export function refuseUnknownCallOptions(cls: ListingClass, layer: string, kwargs: object): void {
  const known = knownOptions(cls)?.callOptions;
  if (known && Object.keys(kwargs).some((key) => !Object.hasOwn(known, key))) checkOptions(`${layer}.apply`, kwargs, known);
}
