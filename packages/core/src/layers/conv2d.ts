import { groupedConv2d } from '../ops/grouped-conv2d.js';
import { checkImageShape, outputSpatialSize } from '../ops/window-geometry.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Shape } from '../types.js';
import { channelsPerGroup, groupsArgument } from './convolution-groups.js';
import { Convolution2DWithFilters, type Conv2DConfig } from './convolution-2d.js';
import { convolutionConfigOf } from './convolution-window.js';
import type { ConfigDict } from './layer.js';
import { registerClass, type LayerClass } from './registry.js';
import type { SymbolicShape } from './symbolic-shape.js';
import type { OptionList, OwnOptions } from './layer-options.js';

/**
 * Keras's Conv2D on channels-last images [batch, height, width, channels]: each output pixel is
 * activation(window · kernel + bias), the kernel [kernelHeight, kernelWidth, channels / groups,
 * filters]. `new Conv2D(32, 3, {padding: 'same'})` or `new Conv2D({filters: 32, kernelSize: 3})`.
 *
 * Computed by the fusedConv2d op (a backend's convolution kernel with the bias and activation,
 * or im2col and a matrix product, then the bias and the activation), one per group.
 */
export class Conv2D extends Convolution2DWithFilters {
  static override readonly className = 'Conv2D';
  static override readonly options: OptionList = { groups: true } satisfies OwnOptions<Conv2DConfig, Omit<Conv2DConfig, 'groups'>>;
  readonly groups: number;

  constructor(filtersOrConfig: number | Conv2DConfig, kernelSize?: Conv2DConfig['kernelSize'], config: Omit<Conv2DConfig, 'filters' | 'kernelSize'> = {}) {
    const full = convolutionConfigOf(filtersOrConfig, kernelSize, config);
    super(full);
    this.groups = groupsArgument('Conv2D', this.filters, full.groups);
  }

  override build(inputShape: Shape): void {
    checkImageShape(this.label, inputShape);
    this.addKernelAndBias([...this.kernelSize, channelsPerGroup(this.label, inputShape[3]!, this.groups), this.filters]);
  }

  override call(inputs: Tensor): Tensor {
    // Checked here first so that a wrong rank or too small an image names the layer, not the op.
    outputSpatialSize(this.label, inputs.shape, this.window);
    return this.activated((activation) => groupedConv2d(inputs, this.kernel!, this.groups, { ...this.convolution, bias: this.bias, activation }));
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return [inputShape[0] ?? null, ...outputSpatialSize(this.label, inputShape, this.window), this.filters];
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), groups: this.groups };
  }
}
registerClass(Conv2D as LayerClass);
