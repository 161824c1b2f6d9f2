import { add, maximum, mul, sub } from '../ops/arithmetic.js';
import { matMul } from '../ops/matmul.js';
import { sum } from '../ops/reduce.js';
import { expandDims } from '../ops/reshape.js';
import { softmax } from '../ops/softmax.js';
import { tanh } from '../ops/unary.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import type { Shape } from '../types.js';
import { describeValue } from '../util/arguments.js';
import { attentionInputs, causalMask, describeShapes, MASKED_SCORE, weightsDropout } from './attention-parts.js';
import type { Dropout } from './dropout.js';
import { Layer, type CallKwargs, type ConfigDict, type LayerConfig, type OutputShape } from './layer.js';
import { asWeights, firstMask, sequenceMask, type LayerMask } from './mask.js';
import { classNameOf, registerClass, type LayerClass } from './registry.js';
import { isShapeList, type SymbolicShape } from './symbolic-shape.js';
import type { OptionList, OwnOptions } from './layer-options.js';

/** How a query step scores a key step. */
export type AttentionScoreMode = 'dot' | 'concat';

export interface AttentionConfig extends LayerConfig {
  /** Multiply the scores by a learned scalar `scale`, starting at 1. Default false. */
  useScale?: boolean;
  /** 'dot': query·key. 'concat': Σ tanh(query + key) over the features, times a learned scalar. Default 'dot'. */
  scoreMode?: AttentionScoreMode;
  /** Fraction of the attention weights dropped while training. Default 0. */
  dropout?: number;
  /**
   * Return [output, attention weights [batch, Tq, Tv]] rather than the output alone. Keras takes
   * it as a call argument; here it is set when the layer is made, so a functional model knows
   * the layer's outputs when it is built. Default false.
   */
  returnAttentionScores?: boolean;
}

/**
 * Keras's Attention (Luong-style dot-product attention). `apply([query, value])` or
 * `apply([query, value, key])` (key defaults to value), each [batch, steps, features]: every
 * query step scores every key step, softmax turns the scores into weights, and the output is the
 * weighted sum of the values, [batch, Tq, features]. Masks from the models' graph (or given as
 * `kwargs.mask`, [queryMask, valueMask]) keep padded value steps out of the weights and zero the
 * output at padded query steps, whose mask the output keeps; `kwargs.useCausalMask` lets query
 * step i attend to key steps up to i only, for decoders.
 */
export class Attention extends Layer {
  static override readonly className: string = 'Attention';
  static override readonly options: OptionList = { useScale: true, scoreMode: true, dropout: true, returnAttentionScores: true } satisfies OwnOptions<AttentionConfig, LayerConfig>;
  static override readonly callOptions: OptionList = { useCausalMask: true };
  readonly useScale: boolean;
  readonly scoreMode: AttentionScoreMode;
  readonly dropout: number;
  readonly returnAttentionScores: boolean;
  scale: Variable | null = null;
  concatScoreWeight: Variable | null = null;
  readonly #dropout: Dropout | null;

  constructor(config: AttentionConfig = {}) {
    super(config);
    const layer = classNameOf(new.target as unknown as LayerClass);
    this.useScale = config.useScale ?? false;
    this.scoreMode = config.scoreMode ?? 'dot';
    if (this.scoreMode !== 'dot' && this.scoreMode !== 'concat') throw new Error(`${layer}: scoreMode must be 'dot' or 'concat', got ${describeValue(config.scoreMode)}`);
    this.dropout = config.dropout ?? 0;
    if (!(this.dropout >= 0 && this.dropout < 1)) throw new Error(`${layer}: dropout must be in [0, 1), got ${describeValue(config.dropout)}`);
    this.returnAttentionScores = config.returnAttentionScores ?? false;
    this.#dropout = weightsDropout(this.name, this.dropout);
  }

  /** [query, value] or [query, value, key]. */
  protected override get takesList(): boolean {
    return true;
  }

  /** It reads the query's and the value's masks; the output keeps the query's. */
  override get supportsMasking(): boolean {
    return true;
  }

  override build(inputShape: Shape | Shape[]): void {
    this.checkShapes(isShapeList(inputShape) ? inputShape : [inputShape]);
    if (this.useScale) this.scale = this.addWeight('scale', [], 'ones');
    if (this.scoreMode === 'concat') this.concatScoreWeight = this.addWeight('concat_score_weight', [], 'ones');
  }

  override call(inputs: Tensor | Tensor[], kwargs: CallKwargs = {}): Tensor | Tensor[] {
    const list = [inputs].flat();
    this.checkShapes(list.map((x) => x.shape));
    const [query, value, key = value] = list as [Tensor, Tensor, Tensor?];
    const masks = Array.isArray(kwargs.mask) ? kwargs.mask : [firstMask(kwargs.mask)];
    const queryMask = sequenceMask(`${this.label} (query)`, masks[0] ?? null, query.shape);
    const valueMask = sequenceMask(`${this.label} (value)`, masks[1] ?? null, value.shape);
    const scores = this.#maskedScores(this.scores(query, key), valueMask, kwargs.useCausalMask === true);
    const weights = softmax(scores);
    const dropped = this.#dropout ? this.#dropout.apply(weights, { training: kwargs.training === true }) : weights;
    const attended = matMul(dropped, value);
    const output = queryMask ? mul(attended, expandDims(asWeights(queryMask), -1)) : attended;
    // As Keras, the weights returned are those applied: after dropout.
    return this.returnAttentionScores ? [output, dropped] : output;
  }

  /** The query's mask holds for the output; the weights have none. */
  override computeMask(_inputs: Tensor | Tensor[], mask: LayerMask): LayerMask {
    const output = firstMask(mask);
    return this.returnAttentionScores ? [output, null] : output;
  }

  override computeOutputShape(inputShape: SymbolicShape | readonly SymbolicShape[]): OutputShape {
    const [query, value] = this.checkShapes(isShapeList(inputShape) ? inputShape : [inputShape]);
    const output = [query[0] ?? null, query[1] ?? null, value[2] ?? null];
    return this.returnAttentionScores ? [output, [query[0] ?? null, query[1] ?? null, value[1] ?? null]] : output;
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), useScale: this.useScale, scoreMode: this.scoreMode, dropout: this.dropout, returnAttentionScores: this.returnAttentionScores };
  }

  /** [batch, Tq, Tv]: query·keyᵀ, or Σ tanh(query + key) over the features, each scaled when asked. */
  protected scores(query: Tensor, key: Tensor): Tensor {
    if (this.scoreMode === 'dot') {
      const scores = matMul(query, key, false, true);
      return this.scale ? mul(scores, this.scale) : scores;
    }
    const pairs = add(expandDims(query, 2), expandDims(key, 1));
    const scaled = this.scale ? mul(pairs, this.scale) : pairs;
    return mul(sum(tanh(scaled), -1), this.concatScoreWeight!);
  }

  /** The scores with padded value steps, and with the causal mask later key steps, pushed far down. */
  #maskedScores(scores: Tensor, valueMask: Tensor | null, causal: boolean): Tensor {
    const [, queries, keys] = scores.shape as [number, number, number];
    // 1 where a score must not count: a padded value step, or a key step after the query's.
    let hidden: Tensor | null = valueMask ? sub(1, expandDims(asWeights(valueMask), 1)) : null;
    if (causal) {
      const later = causalMask(queries, keys);
      hidden = hidden ? maximum(hidden, later) : later;
    }
    return hidden ? sub(scores, mul(hidden, MASKED_SCORE)) : scores;
  }

  /** The inputs checked as every attention's are, and the query and key of as many features, which the scores need. */
  protected checkShapes(shapes: readonly SymbolicShape[]): [SymbolicShape, SymbolicShape, SymbolicShape] {
    const [query, value, key] = attentionInputs(this.label, shapes);
    if (query[2] != null && key[2] != null && query[2] !== key[2]) throw new Error(`${this.label}: expected the query and the key to have as many features, got ${describeShapes(shapes)}`);
    return [query, value, key];
  }

}
registerClass(Attention as LayerClass);
