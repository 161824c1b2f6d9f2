import type { InitializerIdentifier } from '../initializers/index.js';
import { broadcastTo } from '../ops/broadcast-to.js';
import { matMul } from '../ops/matmul.js';
import { reshape } from '../ops/reshape.js';
import { optionalRegularizer } from '../regularizers/get-regularizer.js';
import { serializeRegularizer, type Regularizer, type RegularizerIdentifier } from '../regularizers/index.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Shape } from '../types.js';
import { describeValue, numberArgument, POSITIVE_INTEGER } from '../util/arguments.js';
import { attentionLayout, fromHeads, type AttentionLayout } from './attention-axes.js';
import { attentionWeights, hiddenPairs, projectFromHeads, projectToHeads, type Projection } from './attention-heads.js';
import { attentionInputs, describeShapes, weightsDropout } from './attention-parts.js';
import type { Dropout } from './dropout.js';
import { serializeInitializer } from './initializer-config.js';
import { Layer, type CallKwargs, type ConfigDict, type LayerConfig, type OutputShape } from './layer.js';
import { firstMask, type LayerMask } from './mask.js';
import { registerClass, type LayerClass } from './registry.js';
import { isShapeList, type SymbolicShape } from './symbolic-shape.js';
import type { OptionList, OwnOptions } from './layer-options.js';

export interface GroupedQueryAttentionConfig extends LayerConfig {
  /** The size of each head's query, key and value. */
  headDim: number;
  /** How many query heads. */
  numQueryHeads: number;
  /** How many key and value heads, each shared by numQueryHeads / numKeyValueHeads query heads; a divisor of numQueryHeads. */
  numKeyValueHeads: number;
  /** Fraction of the attention weights dropped while training. Default 0. */
  dropout?: number;
  /** Biases in the four projections. Default true. */
  useBias?: boolean;
  /** Default 'glorotUniform'. */
  kernelInitializer?: InitializerIdentifier;
  /** Default 'zeros'. */
  biasInitializer?: InitializerIdentifier;
  /** A penalty on each projection's kernel, added to the training loss. */
  kernelRegularizer?: RegularizerIdentifier | null;
  /** A penalty on each projection's bias (with `useBias`) added to the training loss ('l2', new L2({l2: 1e-4}), ...); default none. */
  biasRegularizer?: RegularizerIdentifier | null;
  /** The dropout's seed. */
  seed?: number;
  /**
   * Return [output, attention weights [batch, numQueryHeads, Tq, Tv]] rather than the output
   * alone. Keras takes it as a call argument; here, as MultiHeadAttention's, it is set when the
   * layer is made. Default false.
   */
  returnAttentionScores?: boolean;
}

/**
 * Keras's GroupedQueryAttention (Ainslie et al., 2023): MultiHeadAttention whose key and value
 * have fewer heads than its query. `apply([query, value])` or `apply([query, value, key])`, each
 * [batch, steps, features]. The query is projected to numQueryHeads heads, the key and value to
 * numKeyValueHeads heads (kernels [features, heads, headDim], biases [heads, headDim], as
 * Keras's); each key/value head serves numQueryHeads / numKeyValueHeads consecutive query heads
 * (Keras's ops.repeat on the heads axis: query head h reads key/value head ⌊h / repeats⌋). One
 * key/value head is multi-query attention; as many as the query's is MultiHeadAttention with
 * keyDim = valueDim = headDim. Scores q·k/√headDim; the heads' results projected back to the
 * query's features. Masks as MultiHeadAttention's: the inputs' masks (from the graph, or
 * `kwargs.mask`), `kwargs.attentionMask` [batch, Tq, Tv], `kwargs.useCausalMask`.
 */
export class GroupedQueryAttention extends Layer {
  static override readonly className = 'GroupedQueryAttention';
  static override readonly options: OptionList = {
    headDim: true, numQueryHeads: true, numKeyValueHeads: true, dropout: true, useBias: true, kernelInitializer: true, biasInitializer: true, kernelRegularizer: true, biasRegularizer: true, seed: true,
    returnAttentionScores: true,
  } satisfies OwnOptions<GroupedQueryAttentionConfig, LayerConfig>;
  static override readonly callOptions: OptionList = { attentionMask: true, useCausalMask: true };
  readonly headDim: number;
  readonly numQueryHeads: number;
  readonly numKeyValueHeads: number;
  readonly dropout: number;
  readonly useBias: boolean;
  readonly kernelInitializer: InitializerIdentifier;
  readonly biasInitializer: InitializerIdentifier;
  readonly kernelRegularizer: Regularizer | null;
  readonly biasRegularizer: Regularizer | null;
  readonly seed: number | undefined;
  readonly returnAttentionScores: boolean;
  query: Projection | null = null;
  key: Projection | null = null;
  value: Projection | null = null;
  attentionOutput: Projection | null = null;
  readonly #dropout: Dropout | null;

  constructor(config: GroupedQueryAttentionConfig) {
    super(config);
    const owner = 'GroupedQueryAttention';
    this.headDim = numberArgument(owner, 'headDim', config.headDim, POSITIVE_INTEGER);
    this.numQueryHeads = numberArgument(owner, 'numQueryHeads', config.numQueryHeads, POSITIVE_INTEGER);
    this.numKeyValueHeads = numberArgument(owner, 'numKeyValueHeads', config.numKeyValueHeads, POSITIVE_INTEGER);
    if (this.numQueryHeads % this.numKeyValueHeads !== 0) {
      throw new Error(`${owner}: numQueryHeads must be a multiple of numKeyValueHeads (as in Keras), got numQueryHeads ${this.numQueryHeads} and numKeyValueHeads ${this.numKeyValueHeads}`);
    }
    this.dropout = config.dropout ?? 0;
    if (!(this.dropout >= 0 && this.dropout < 1)) throw new Error(`${owner}: dropout must be in [0, 1), got ${describeValue(config.dropout)}`);
    this.useBias = config.useBias ?? true;
    this.kernelInitializer = config.kernelInitializer ?? 'glorotUniform';
    this.biasInitializer = config.biasInitializer ?? 'zeros';
    this.kernelRegularizer = optionalRegularizer(config.kernelRegularizer);
    this.biasRegularizer = optionalRegularizer(config.biasRegularizer);
    this.seed = config.seed ?? undefined;
    if (this.seed !== undefined && !Number.isInteger(this.seed)) throw new Error(`${owner}: seed must be an integer, got ${describeValue(config.seed)}`);
    this.returnAttentionScores = config.returnAttentionScores ?? false;
    this.#dropout = weightsDropout(this.name, this.dropout, this.seed);
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
    const project = (name: string, kernelShape: Shape, biasShape: Shape): Projection => ({
      kernel: this.addWeight(`${name}/kernel`, kernelShape, this.kernelInitializer, { regularizer: this.kernelRegularizer }),
      bias: this.useBias ? this.addWeight(`${name}/bias`, biasShape, this.biasInitializer, { regularizer: this.biasRegularizer }) : null,
    });
    const [size, queryHeads, keyValueHeads] = [this.headDim, this.numQueryHeads, this.numKeyValueHeads];
    this.query = project('query', [features(query!), queryHeads, size], [queryHeads, size]);
    this.key = project('key', [features(key!), keyValueHeads, size], [keyValueHeads, size]);
    this.value = project('value', [features(value!), keyValueHeads, size], [keyValueHeads, size]);
    this.attentionOutput = project('attention_output', [queryHeads, size, features(query!)], [features(query!)]);
  }

  override call(inputs: Tensor | Tensor[], kwargs: CallKwargs = {}): Tensor | Tensor[] {
    const list = [inputs].flat();
    this.#inputs(list.map((x) => x.shape));
    const [query, value, key = value] = list as [Tensor, Tensor, Tensor?];
    const layout: AttentionLayout = attentionLayout(this.label, 3, null);
    const queryHeads = projectToHeads(layout, query, this.query!);
    const [keyHeads, valueHeads] = [this.#shared(projectToHeads(layout, key, this.key!)), this.#shared(projectToHeads(layout, value, this.value!))];
    const weights = attentionWeights(queryHeads, keyHeads, 1 / Math.sqrt(this.headDim), hiddenPairs(this.label, layout, query, value, key, kwargs));
    const dropped = this.#dropout ? this.#dropout.apply(weights, { training: kwargs.training === true }) : weights;
    const output = projectFromHeads(fromHeads(layout, matMul(dropped, valueHeads), query.shape), this.attentionOutput!);
    // As Keras's, the weights returned are those before the dropout.
    return this.returnAttentionScores ? [output, weights] : output;
  }

  /** Key or value heads [batch, kvHeads, steps, size] each repeated for its query heads, in place: [batch, queryHeads, steps, size]. */
  #shared(heads: Tensor): Tensor {
    const repeats = this.numQueryHeads / this.numKeyValueHeads;
    if (repeats === 1) return heads;
    const [batch, kvHeads, steps, size] = heads.shape as [number, number, number, number];
    return reshape(broadcastTo(reshape(heads, [batch, kvHeads, 1, steps, size]), [batch, kvHeads, repeats, steps, size]), [batch, kvHeads * repeats, steps, size]);
  }

  /** The query's mask holds for the output; the weights have none. */
  override computeMask(_inputs: Tensor | Tensor[], mask: LayerMask): LayerMask {
    const output = firstMask(mask);
    return this.returnAttentionScores ? [output, null] : output;
  }

  override computeOutputShape(inputShape: SymbolicShape | readonly SymbolicShape[]): OutputShape {
    const shapes = isShapeList(inputShape) ? inputShape : [inputShape];
    const [query, value, key] = this.#inputs(shapes);
    // Keras's own rule for the output's shape, though a call works without it.
    const [q, v] = [query.at(-1), value.at(-1)];
    if (q != null && v != null && q !== v) throw new Error(`${this.label}: expected the query and the value to have as many features (as Keras's output shape), got ${describeShapes(shapes)}`);
    const output = query.map((d) => d ?? null);
    return this.returnAttentionScores ? [output, [query[0] ?? null, this.numQueryHeads, query[1] ?? null, key[1] ?? null]] : output;
  }

  override getConfig(): ConfigDict {
    return {
      ...super.getConfig(),
      headDim: this.headDim,
      numQueryHeads: this.numQueryHeads,
      numKeyValueHeads: this.numKeyValueHeads,
      dropout: this.dropout,
      useBias: this.useBias,
      kernelInitializer: serializeInitializer(this.kernelInitializer),
      biasInitializer: serializeInitializer(this.biasInitializer),
      kernelRegularizer: serializeRegularizer(this.kernelRegularizer),
      biasRegularizer: serializeRegularizer(this.biasRegularizer),
      seed: this.seed ?? null,
      returnAttentionScores: this.returnAttentionScores,
    };
  }

  #inputs(shapes: readonly SymbolicShape[]): [SymbolicShape, SymbolicShape, SymbolicShape] {
    return attentionInputs(this.label, shapes);
  }
}
registerClass(GroupedQueryAttention as LayerClass);
