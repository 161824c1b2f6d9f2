import { transform, type TransformFillMode, type TransformInterpolation } from '../ops/image-transform.js';
import { reshape } from '../ops/reshape.js';
import type { RandomGenerator } from '../random/generator.js';
import type { Tensor } from '../tensor/tensor.js';
import { describeValue } from '../util/arguments.js';
import { factorRange, isConfig, uniform, type Factor } from './factor-range.js';
import { floatImages } from './image-inputs.js';
import type { CallKwargs, ConfigDict } from './layer.js';
import type { OptionList, OwnOptions } from './layer-options.js';
import { NoiseLayer, type NoiseLayerConfig } from './noise-layer.js';
import { classNameOf, registerClass, type LayerClass } from './registry.js';

export interface RandomAffineConfig extends NoiseLayerConfig {
  /** How points outside the image are read: 'reflect' (the default), 'wrap', 'nearest' or 'constant' (fillValue). */
  fillMode?: TransformFillMode;
  /** 'bilinear' (the default) or 'nearest'. */
  interpolation?: TransformInterpolation;
  /** What 'constant' fills with. Default 0. */
  fillValue?: number;
}

/**
 * What Keras's geometric image layers share: while training, each channels-last image is
 * resampled at points drawn for it, points outside read as `fillMode` says; otherwise images
 * pass through. Float32 out.
 */
export abstract class RandomWarp extends NoiseLayer {
  static override readonly options: OptionList = { fillMode: true, interpolation: true, fillValue: true } satisfies OwnOptions<RandomAffineConfig, NoiseLayerConfig>;
  readonly fillMode: TransformFillMode;
  readonly interpolation: TransformInterpolation;
  readonly fillValue: number;

  /** `defaultFillMode`: what fillMode is when not given (Keras's RandomPerspective fills with a constant). */
  constructor(config: RandomAffineConfig, defaultFillMode: TransformFillMode = 'reflect') {
    super(config);
    const owner = classNameOf(new.target as unknown as LayerClass);
    this.fillMode = config.fillMode ?? defaultFillMode;
    this.interpolation = config.interpolation ?? 'bilinear';
    this.fillValue = config.fillValue ?? 0;
    if (!['reflect', 'wrap', 'nearest', 'constant'].includes(this.fillMode)) throw new Error(`${owner}: fillMode must be 'reflect', 'wrap', 'nearest' or 'constant', got ${describeValue(this.fillMode)}`);
    if (!['bilinear', 'nearest'].includes(this.interpolation)) throw new Error(`${owner}: interpolation must be 'bilinear' or 'nearest', got ${describeValue(this.interpolation)}`);
    if (!Number.isFinite(this.fillValue)) throw new Error(`${owner}: fillValue must be a finite number, got ${describeValue(this.fillValue)}`);
  }

  /** Float32 `images` [batch, height, width, channels] warped by draws from `generator`. */
  protected abstract warp(images: Tensor, generator: RandomGenerator): Tensor;

  override call(inputs: Tensor, kwargs: CallKwargs = {}): Tensor {
    const images = floatImages(this.label, inputs);
    if (!kwargs.training) return images;
    const batched = inputs.rank === 4 ? images : reshape(images, [1, ...images.shape]);
    const moved = this.warp(batched, this.generator());
    return inputs.rank === 4 ? moved : reshape(moved, images.shape);
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), fillMode: this.fillMode, interpolation: this.interpolation, fillValue: this.fillValue };
  }
}

/** RandomRotation, RandomTranslation, RandomZoom, RandomShear, RandomPerspective: each image moved by its own projective map (the `transform` op). */
export abstract class RandomAffine extends RandomWarp {
  /** One transform row [a0..a7] per image of `batch` (see `transform`), drawn from `generator`. */
  protected abstract draw(batch: number, height: number, width: number, generator: RandomGenerator): number[][];

  protected warp(images: Tensor, generator: RandomGenerator): Tensor {
    const [batch, height, width] = images.shape as [number, number, number];
    return transform(images, this.draw(batch, height, width, generator), this.interpolation, this.fillMode, this.fillValue);
  }
}

export interface RandomRotationConfig extends RandomAffineConfig {
  /** The angle's range as a fraction of a full turn: 0.1 is up to 36° either way. Positive turns counter-clockwise. */
  factor: Factor;
}

/** Keras's RandomRotation: each image turned about its centre by its own random angle while training. `new RandomRotation(0.1)`. */
export class RandomRotation extends RandomAffine {
  static override readonly className = 'RandomRotation';
  static override readonly options: OptionList = { factor: true } satisfies OwnOptions<RandomRotationConfig, RandomAffineConfig>;
  readonly factor: [number, number];

  constructor(factor: Factor | RandomRotationConfig, config: Omit<RandomRotationConfig, 'factor'> = {}) {
    const full: RandomRotationConfig = isConfig(factor) ? factor : { ...config, factor };
    super(full);
    this.factor = factorRange('RandomRotation', 'factor', full.factor, Infinity);
  }

  protected draw(batch: number, height: number, width: number, generator: RandomGenerator): number[][] {
    return Array.from({ length: batch }, () => {
      const angle = 2 * Math.PI * uniform(generator, this.factor);
      const [cos, sin] = [Math.cos(angle), Math.sin(angle)];
      // The output's centre reads the input's centre.
      const [x, y] = [(width - 1 - (cos * (width - 1) - sin * (height - 1))) / 2, (height - 1 - (sin * (width - 1) + cos * (height - 1))) / 2];
      return [cos, -sin, x, sin, cos, y, 0, 0];
    });
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), factor: [...this.factor] };
  }
}
registerClass(RandomRotation as LayerClass);

export interface RandomTranslationConfig extends RandomAffineConfig {
  /** The vertical shift's range as a fraction of the height, within [−1, 1]; positive moves images down. */
  heightFactor: Factor;
  /** The horizontal shift's, of the width; positive moves images right. */
  widthFactor: Factor;
}

/** Keras's RandomTranslation: each image shifted by its own random offset while training. `new RandomTranslation(0.1, 0.1)`. */
export class RandomTranslation extends RandomAffine {
  static override readonly className = 'RandomTranslation';
  static override readonly options: OptionList = { heightFactor: true, widthFactor: true } satisfies OwnOptions<RandomTranslationConfig, RandomAffineConfig>;
  readonly heightFactor: [number, number];
  readonly widthFactor: [number, number];

  constructor(heightFactor: Factor | RandomTranslationConfig, widthFactor?: Factor, config: Omit<RandomTranslationConfig, 'heightFactor' | 'widthFactor'> = {}) {
    const full = isConfig(heightFactor) ? heightFactor : { ...config, heightFactor, widthFactor: widthFactor! };
    super(full);
    this.heightFactor = factorRange('RandomTranslation', 'heightFactor', full.heightFactor, 1);
    this.widthFactor = factorRange('RandomTranslation', 'widthFactor', full.widthFactor, 1);
  }

  protected draw(batch: number, height: number, width: number, generator: RandomGenerator): number[][] {
    return Array.from({ length: batch }, () => {
      const [dy, dx] = [uniform(generator, this.heightFactor) * height, uniform(generator, this.widthFactor) * width];
      return [1, 0, -dx, 0, 1, -dy, 0, 0];
    });
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), heightFactor: [...this.heightFactor], widthFactor: [...this.widthFactor] };
  }
}
registerClass(RandomTranslation as LayerClass);

export interface RandomZoomConfig extends RandomAffineConfig {
  /** The vertical zoom's range: each image's height scales the sampled area by 1 + a draw (positive zooms out), within [−1, ∞). */
  heightFactor: Factor;
  /** The horizontal zoom's; default: the vertical one's draw, keeping the aspect ratio. */
  widthFactor?: Factor | null;
}

/** Keras's RandomZoom: each image zoomed in or out about its centre by its own random factor while training. `new RandomZoom(0.2)`. */
export class RandomZoom extends RandomAffine {
  static override readonly className = 'RandomZoom';
  static override readonly options: OptionList = { heightFactor: true, widthFactor: true } satisfies OwnOptions<RandomZoomConfig, RandomAffineConfig>;
  readonly heightFactor: [number, number];
  readonly widthFactor: [number, number] | null;

  constructor(heightFactor: Factor | RandomZoomConfig, widthFactor?: Factor | null, config: Omit<RandomZoomConfig, 'heightFactor' | 'widthFactor'> = {}) {
    const full = isConfig(heightFactor) ? heightFactor : { ...config, heightFactor, widthFactor };
    super(full);
    const zoomRange = (option: string, value: unknown): [number, number] => {
      const [lower, upper] = factorRange('RandomZoom', option, value, Infinity);
      if (lower < -1) throw new Error(`RandomZoom: ${option} must not go below −1 (a zoom of 0), got ${describeValue(value)}`);
      return [lower, upper];
    };
    this.heightFactor = zoomRange('heightFactor', full.heightFactor);
    this.widthFactor = full.widthFactor == null ? null : zoomRange('widthFactor', full.widthFactor);
  }

  protected draw(batch: number, height: number, width: number, generator: RandomGenerator): number[][] {
    return Array.from({ length: batch }, () => {
      const zy = 1 + uniform(generator, this.heightFactor);
      const zx = this.widthFactor === null ? zy : 1 + uniform(generator, this.widthFactor);
      // About the centre: the output's centre reads the input's.
      return [zx, 0, ((width - 1) / 2) * (1 - zx), 0, zy, ((height - 1) / 2) * (1 - zy), 0, 0];
    });
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), heightFactor: [...this.heightFactor], widthFactor: this.widthFactor && [...this.widthFactor] };
  }
}
registerClass(RandomZoom as LayerClass);
