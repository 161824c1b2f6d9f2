import type { InitializerIdentifier } from '../initializers/index.js';
import { optionalRegularizer } from '../regularizers/get-regularizer.js';
import { serializeRegularizer, type Regularizer, type RegularizerIdentifier } from '../regularizers/index.js';
import { numberArgument, POSITIVE_INTEGER } from '../util/arguments.js';
import { serializeInitializer } from './initializer-config.js';
import type { ConfigDict } from './layer.js';

// The config names the depthwise and separable layers (1-D and 2-D) share with Keras, mapped to
// and from KernelLayer's: a depthwise layer's kernel is its depthwise kernel; a separable
// layer's is its pointwise kernel, its depthwise kernel a weight beside it.

export interface DepthwiseConfig {
  /** Output channels per input channel. Default 1. */
  depthMultiplier?: number;
  /** Default 'glorotUniform'. */
  depthwiseInitializer?: InitializerIdentifier;
  /** A penalty on the depthwise kernel added to the training loss ('l2', new L2({l2: 1e-4}), ...); default none (Keras's depthwise_regularizer). */
  depthwiseRegularizer?: RegularizerIdentifier | null;
}

export interface SeparableConfig extends DepthwiseConfig {
  /** Output channels. */
  filters: number;
  /** Default 'glorotUniform'. */
  pointwiseInitializer?: InitializerIdentifier;
  /** A penalty on the pointwise (1×1) kernel added to the training loss ('l2', new L2({l2: 1e-4}), ...); default none (Keras's pointwise_regularizer). */
  pointwiseRegularizer?: RegularizerIdentifier | null;
}

type KernelNames = { kernelInitializer?: InitializerIdentifier; kernelRegularizer?: RegularizerIdentifier | null };

export const depthMultiplierOf = (layer: string, config: DepthwiseConfig): number =>
  numberArgument(layer, 'depthMultiplier', config.depthMultiplier ?? 1, POSITIVE_INTEGER);

/**
 * Refuses KernelLayer's names for the kernel's settings, which the layer's own names (`names`)
 * replace: passed on, they would be overwritten without a word.
 */
function refuseKernelNames(layer: string, config: object, names: string): void {
  const given = ['kernelInitializer', 'kernelRegularizer'].find((key) => Object.hasOwn(config, key));
  if (given !== undefined) throw new Error(`${layer}: unknown option '${given}'; the kernels' settings are ${names}`);
}

/** A depthwise layer's config for KernelLayer: the depthwise kernel's settings as the kernel's. */
export function depthwiseAsKernel<C extends DepthwiseConfig>(layer: string, config: C): Omit<C, keyof DepthwiseConfig> & KernelNames {
  refuseKernelNames(layer, config, 'depthwiseInitializer and depthwiseRegularizer');
  const { depthMultiplier: _, depthwiseInitializer, depthwiseRegularizer, ...rest } = config;
  return { ...rest, kernelInitializer: depthwiseInitializer, kernelRegularizer: depthwiseRegularizer };
}

/** KernelLayer's config of a depthwise layer named as Keras names it. */
export function depthwiseConfigOf(config: ConfigDict, depthMultiplier: number): ConfigDict {
  const { kernelInitializer, kernelRegularizer, ...rest } = config;
  return { ...rest, depthMultiplier, depthwiseInitializer: kernelInitializer, depthwiseRegularizer: kernelRegularizer };
}

/** The depthwise kernel's settings of a separable layer, kept beside KernelLayer's pointwise kernel. */
export interface DepthwiseKernelSettings {
  readonly depthMultiplier: number;
  readonly initializer: InitializerIdentifier;
  readonly regularizer: Regularizer | null;
}

/** A separable layer's config for KernelLayer (the pointwise kernel's settings as the kernel's), and its depthwise kernel's settings. */
export function separableAsKernel<C extends SeparableConfig>(layer: string, config: C): { kernelConfig: Omit<C, keyof DepthwiseConfig | 'pointwiseInitializer' | 'pointwiseRegularizer'> & KernelNames; depthwise: DepthwiseKernelSettings } {
  refuseKernelNames(layer, config, 'depthwiseInitializer, depthwiseRegularizer, pointwiseInitializer and pointwiseRegularizer');
  const { depthMultiplier: _, depthwiseInitializer, depthwiseRegularizer, pointwiseInitializer, pointwiseRegularizer, ...rest } = config;
  return {
    kernelConfig: { ...rest, kernelInitializer: pointwiseInitializer, kernelRegularizer: pointwiseRegularizer },
    depthwise: { depthMultiplier: depthMultiplierOf(layer, config), initializer: depthwiseInitializer ?? 'glorotUniform', regularizer: optionalRegularizer(depthwiseRegularizer) },
  };
}

/** KernelLayer's config of a separable layer named as Keras names it, with its depthwise kernel's settings. */
export function separableConfigOf(config: ConfigDict, depthwise: DepthwiseKernelSettings): ConfigDict {
  const { kernelInitializer, kernelRegularizer, ...rest } = config;
  return {
    ...rest,
    depthMultiplier: depthwise.depthMultiplier,
    depthwiseInitializer: serializeInitializer(depthwise.initializer),
    pointwiseInitializer: kernelInitializer,
    depthwiseRegularizer: serializeRegularizer(depthwise.regularizer),
    pointwiseRegularizer: kernelRegularizer,
  };
}
