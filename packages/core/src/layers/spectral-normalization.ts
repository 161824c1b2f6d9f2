import { div, minimum, mul } from '../ops/arithmetic.js';
import { equal } from '../ops/compare.js';
import { all } from '../ops/logical.js';
import { matMul } from '../ops/matmul.js';
import { sum } from '../ops/reduce.js';
import { reshape } from '../ops/reshape.js';
import { rsqrt } from '../ops/safe-arithmetic.js';
import { stopGradient } from '../ops/stop-gradient.js';
import { square } from '../ops/unary.js';
import { where } from '../ops/where.js';
import { truncatedNormal } from '../random/random.js';
import { tidy } from '../engine/memory.js';
import type { Tensor } from '../tensor/tensor.js';
import { Variable } from '../tensor/variable.js';
import type { Shape } from '../types.js';
import { describeValue, numberArgument, POSITIVE_INTEGER } from '../util/arguments.js';
import { Layer, type CallKwargs, type ConfigDict, type LayerConfig } from './layer.js';
import { classNameOf, deserializeLayer, registerClass, serializeLayer, type LayerClass, type SerializedLayer } from './registry.js';
import { singleOutput } from './single-output.js';
import type { SymbolicShape } from './symbolic-shape.js';
import type { OptionList, OwnOptions } from './layer-options.js';

export interface SpectralNormalizationConfig extends LayerConfig {
  /** Power-iteration steps per training call. Default 1. */
  powerIterations?: number;
}

/** Keras's floor under a vector's norm when it is normalized (backend.epsilon()). */
const NORM_FLOOR = 1e-7;

/** `x` divided by its L2 norm (at least NORM_FLOOR), as Keras's ops.normalize over all axes. */
const unitVector = (x: Tensor): Tensor => mul(x, minimum(rsqrt(sum(square(x))), 1 / NORM_FLOOR));

/**
 * Keras's SpectralNormalization (Miyato et al.): wraps a layer with a `kernel` (Dense, the
 * convolutions) or `embeddings` (Embedding) and, on each training call, divides that weight by an
 * estimate of its largest singular value before the layer runs. The weight, seen as a matrix W
 * [everything else, last axis], is estimated by `powerIterations` steps of the power iteration
 * from the non-trainable `vector_u` [1, last axis]: v = unit(u·Wᵀ), u = unit(v·W); σ = v·W·uᵀ.
 *
 * As Keras, the division is assigned to the wrapped layer's weight (not a function of it the tape
 * follows): gradients reach the weight as the layer used it, and the next step's estimate starts
 * from the stored `u`. An all-zero weight is left alone. Out of training, the layer runs as it is.
 */
export class SpectralNormalization extends Layer {
  static override readonly className = 'SpectralNormalization';
  static override readonly options: OptionList = { powerIterations: true } satisfies OwnOptions<SpectralNormalizationConfig, LayerConfig>;
  readonly layer: Layer;
  readonly powerIterations: number;
  vectorU: Variable | null = null;

  constructor(layer: Layer, config: SpectralNormalizationConfig = {}) {
    super(config);
    if (!(layer instanceof Layer)) throw new Error(`${this.label}: expected a Layer with a kernel or embeddings to normalize, got ${describeValue(layer)}`);
    this.layer = layer;
    this.powerIterations = numberArgument('SpectralNormalization', 'powerIterations', config.powerIterations ?? 1, POSITIVE_INTEGER);
  }

  /** The wrapped layer's weight that is normalized: its kernel, else its embeddings. */
  get #weight(): Variable {
    const held = this.layer as unknown as { kernel?: unknown; embeddings?: unknown };
    const weight = held.kernel instanceof Variable ? held.kernel : held.embeddings;
    if (!(weight instanceof Variable)) {
      throw new Error(`${this.label}: the wrapped ${classNameOf(this.layer.constructor as LayerClass)} '${this.layer.name}' has no kernel nor embeddings weight to normalize`);
    }
    return weight;
  }

  override build(inputShape: Shape): void {
    this.layer.ensureBuilt(inputShape);
    const columns = this.#weight.shape.at(-1)!;
    this.vectorU = this.addWeight('vector_u', [1, columns], 'zeros', { trainable: false });
    tidy(() => this.vectorU!.assign(truncatedNormal([1, columns], 0, 0.02)));
  }

  override call(inputs: Tensor, kwargs: CallKwargs = {}): Tensor {
    if (kwargs.training) this.#normalizeWeight();
    return singleOutput(this.label, this.layer, this.layer.apply(inputs, kwargs));
  }

  /**
   * The power iteration and the assignments, from stopGradient of the weight: the tape sees no
   * path from them to anything it watches (as BatchNormalization's moving statistics).
   */
  #normalizeWeight(): void {
    const weight = this.#weight;
    tidy(() => {
      const kernel = stopGradient(weight);
      const matrix = reshape(kernel, [-1, weight.shape.at(-1)!]);
      let u: Tensor = this.vectorU!;
      let v: Tensor = u;
      for (let step = 0; step < this.powerIterations; step++) {
        v = unitVector(matMul(u, matrix, false, true));
        u = unitVector(matMul(v, matrix));
      }
      const sigma = reshape(matMul(matMul(v, matrix), u, false, true), []);
      const zero = all(equal(kernel, 0));
      weight.assign(where(zero, kernel, div(kernel, sigma)));
      this.vectorU!.assign(where(zero, this.vectorU!, u));
    });
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return this.layer.computeOutputShape(inputShape) as SymbolicShape;
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), layer: serializeLayer(this.layer), powerIterations: this.powerIterations };
  }

  static override fromConfig(cls: LayerClass, config: ConfigDict): Layer {
    const { layer, ...rest } = config as ConfigDict & { layer?: SerializedLayer };
    if (layer === undefined) throw new Error(`${classNameOf(cls)}.fromConfig: expected config.layer, the serialized wrapped layer, got none`);
    return new cls(deserializeLayer(layer), rest);
  }
}
registerClass(SpectralNormalization as LayerClass);
