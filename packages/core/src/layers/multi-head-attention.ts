import type { InitializerIdentifier } from '../initializers/index.js';
import { matMul } from '../ops/matmul.js';
import { reshape } from '../ops/reshape.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Shape } from '../types.js';
import { describeValue } from '../util/arguments.js';
import { attentionLayout, fromHeads, multiHeadInputs, scoresShapeOf } from './attention-axes.js';
import { attentionWeights, hiddenPairs, projectFromHeads, projectToHeads, type Projection } from './attention-heads.js';
import { weightsDropout } from './attention-parts.js';
import type { Dropout } from './dropout.js';
import { serializeInitializer } from './initializer-config.js';
import { Layer, type CallKwargs, type ConfigDict, type LayerConfig, type OutputShape } from './layer.js';
import { firstMask, type LayerMask } from './mask.js';
import { registerClass, type LayerClass } from './registry.js';
import { isShapeList, type SymbolicShape } from './symbolic-shape.js';
import type { OptionList, OwnOptions } from './layer-options.js';

export interface MultiHeadAttentionConfig extends LayerConfig {
  /** How many attention heads. */
  numHeads: number;
  /** The size of each head's query and key. */
  keyDim: number;
  /** The size of each head's value. Default keyDim. */
  valueDim?: number;
  /** Fraction of the attention weights dropped while training. Default 0. */
  dropout?: number;
  /** Biases in the four projections. Default true. */
  useBias?: boolean;
  /** The size of the output's last axis. Default: the query's. */
  outputShape?: number;
  /** Default 'glorotUniform'. */
  kernelInitializer?: InitializerIdentifier;
  /** Default 'zeros'. */
  biasInitializer?: InitializerIdentifier;
  /**
   * Return [output, attention weights [batch, heads, Tq, Tv]] rather than the output alone. Keras
   * takes it as a call argument; here it is set when the layer is made, as Attention's. Default false.
   */
  returnAttentionScores?: boolean;
  /**
   * The inner axes (between the batch and the features) attended over together, for inputs of
   * rank above 3 ([batch, height, width, features], ...); each position along the others attends
   * apart. Negative axes count from the end. Default null: every inner axis.
   */
  attentionAxes?: number | readonly number[] | null;
}

/**
 * Keras's MultiHeadAttention. `apply([query, value])` or `apply([query, value, key])` (key
 * defaults to value), each [batch, steps, features], or of a higher rank [batch, ...steps,
 * features] attended over the `attentionAxes` (attention-axes.ts). The query, key and value are projected to
 * `numHeads` heads (Keras's kernels [features, heads, keyDim], biases [heads, keyDim]), each head
 * attends with scores q·k/√keyDim, and the heads' results are projected back to the query's
 * features (or `outputShape`). Masks from the models' graph (or `kwargs.mask`, [query, value,
 * key], each [batch, ...steps]) hide padded key steps and padded query rows,
 * `kwargs.attentionMask` ([batch, Tq, Tv], true where a query step may attend; of a higher rank,
 * the attention weights' shape without the heads axis, as Keras's) hides more, and
 * `kwargs.useCausalMask` hides later steps (beyond rank 3, later in the row-major order of the
 * attended axes); the output keeps the query's mask.
 */
export class MultiHeadAttention extends Layer {
  static override readonly className = 'MultiHeadAttention';
  static override readonly options: OptionList = { numHeads: true, keyDim: true, valueDim: true, dropout: true, useBias: true, outputShape: true, kernelInitializer: true, biasInitializer: true, returnAttentionScores: true, attentionAxes: true } satisfies OwnOptions<MultiHeadAttentionConfig, LayerConfig>;
  static override readonly callOptions: OptionList = { attentionMask: true, useCausalMask: true };
  readonly numHeads: number;
  readonly keyDim: number;
  readonly valueDim: number;
  readonly dropout: number;
  readonly useBias: boolean;
  readonly outputSize: number | null;
  readonly kernelInitializer: InitializerIdentifier;
  readonly biasInitializer: InitializerIdentifier;
  readonly returnAttentionScores: boolean;
  readonly attentionAxes: readonly number[] | null;
  query: Projection | null = null;
  key: Projection | null = null;
  value: Projection | null = null;
  attentionOutput: Projection | null = null;
  readonly #dropout: Dropout | null;

  constructor(config: MultiHeadAttentionConfig) {
    super(config);
    const positive = (name: 'numHeads' | 'keyDim' | 'valueDim' | 'outputShape', value: unknown): number => {
      if (!Number.isInteger(value) || (value as number) <= 0) throw new Error(`MultiHeadAttention: ${name} must be a positive integer, got ${describeValue(value)}`);
      return value as number;
    };
    this.numHeads = positive('numHeads', config.numHeads);
    this.keyDim = positive('keyDim', config.keyDim);
    this.valueDim = config.valueDim === undefined ? this.keyDim : positive('valueDim', config.valueDim);
    this.outputSize = config.outputShape === undefined ? null : positive('outputShape', config.outputShape);
    this.dropout = config.dropout ?? 0;
    if (!(this.dropout >= 0 && this.dropout < 1)) throw new Error(`MultiHeadAttention: dropout must be in [0, 1), got ${describeValue(config.dropout)}`);
    this.useBias = config.useBias ?? true;
    this.kernelInitializer = config.kernelInitializer ?? 'glorotUniform';
    this.biasInitializer = config.biasInitializer ?? 'zeros';
    this.returnAttentionScores = config.returnAttentionScores ?? false;
    const axes = config.attentionAxes ?? null;
    this.attentionAxes = axes === null ? null : [axes].flat();
    if (this.attentionAxes?.some((axis) => !Number.isInteger(axis)) || this.attentionAxes?.length === 0) {
      throw new Error(`MultiHeadAttention: attentionAxes must be an axis or a list of axes (integers), got ${describeValue(config.attentionAxes)}`);
    }
    this.#dropout = weightsDropout(this.name, this.dropout);
  }

  /** [query, value] or [query, value, key]. */
  protected override get takesList(): boolean {
    return true;
  }

  /** It reads the masks of its inputs; the output keeps the query's. */
  override get supportsMasking(): boolean {
    return true;
  }

  override build(inputShape: Shape | Shape[]): void {
    const [query, value, key] = this.#inputs(isShapeList(inputShape) ? inputShape : [inputShape]) as Shape[];
    const features = (shape: Shape): number => shape[shape.length - 1]!;
    const project = (name: string, features: number, size: number): Projection => ({
      kernel: this.addWeight(`${name}/kernel`, [features, this.numHeads, size], this.kernelInitializer),
      bias: this.useBias ? this.addWeight(`${name}/bias`, [this.numHeads, size], this.biasInitializer) : null,
    });
    this.query = project('query', features(query!), this.keyDim);
    this.key = project('key', features(key!), this.keyDim);
    this.value = project('value', features(value!), this.valueDim);
    const outputFeatures = this.outputSize ?? features(query!);
    this.attentionOutput = {
      kernel: this.addWeight('attention_output/kernel', [this.numHeads, this.valueDim, outputFeatures], this.kernelInitializer),
      bias: this.useBias ? this.addWeight('attention_output/bias', [outputFeatures], this.biasInitializer) : null,
    };
  }

  override call(inputs: Tensor | Tensor[], kwargs: CallKwargs = {}): Tensor | Tensor[] {
    const list = [inputs].flat();
    this.#inputs(list.map((x) => x.shape));
    const [query, value, key = value] = list as [Tensor, Tensor, Tensor?];
    const layout = attentionLayout(this.label, query.rank, this.attentionAxes);
    const [queryHeads, keyHeads, valueHeads] = [projectToHeads(layout, query, this.query!), projectToHeads(layout, key, this.key!), projectToHeads(layout, value, this.value!)];
    // [batch, heads, Tq, Tv]: each head's query steps against its key steps.
    const weights = attentionWeights(queryHeads, keyHeads, 1 / Math.sqrt(this.keyDim), hiddenPairs(this.label, layout, query, value, key, kwargs));
    const dropped = this.#dropout ? this.#dropout.apply(weights, { training: kwargs.training === true }) : weights;
    // [batch, ...steps, heads·valueDim]: the heads side by side, then projected back.
    const output = projectFromHeads(fromHeads(layout, matMul(dropped, valueHeads), query.shape), this.attentionOutput!);
    // The scores returned are from before dropout, as Keras 3 returns them.
    return this.returnAttentionScores ? [output, reshape(weights, scoresShapeOf(layout, query.shape, key.shape, this.numHeads) as number[])] : output;
  }

  /** The query's mask holds for the output; the weights have none. */
  override computeMask(_inputs: Tensor | Tensor[], mask: LayerMask): LayerMask {
    const output = firstMask(mask);
    return this.returnAttentionScores ? [output, null] : output;
  }

  override computeOutputShape(inputShape: SymbolicShape | readonly SymbolicShape[]): OutputShape {
    const [query, , key] = this.#inputs(isShapeList(inputShape) ? inputShape : [inputShape]);
    const output = [...query.slice(0, -1).map((d) => d ?? null), this.outputSize ?? query[query.length - 1] ?? null];
    const layout = attentionLayout(this.label, query.length, this.attentionAxes);
    return this.returnAttentionScores ? [output, scoresShapeOf(layout, query, key, this.numHeads)] : output;
  }

  override getConfig(): ConfigDict {
    return {
      ...super.getConfig(),
      numHeads: this.numHeads,
      keyDim: this.keyDim,
      valueDim: this.valueDim,
      dropout: this.dropout,
      useBias: this.useBias,
      ...(this.outputSize === null ? {} : { outputShape: this.outputSize }),
      kernelInitializer: serializeInitializer(this.kernelInitializer),
      biasInitializer: serializeInitializer(this.biasInitializer),
      returnAttentionScores: this.returnAttentionScores,
      attentionAxes: this.attentionAxes === null ? null : [...this.attentionAxes],
    };
  }

  #inputs(shapes: readonly SymbolicShape[]): [SymbolicShape, SymbolicShape, SymbolicShape] {
    return multiHeadInputs(this.label, shapes, this.attentionAxes);
  }
}
registerClass(MultiHeadAttention as LayerClass);
