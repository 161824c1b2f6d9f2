import { mul } from '../ops/arithmetic.js';
import { tensor } from '../ops/convert.js';
import { reshape } from '../ops/reshape.js';
import { Tensor } from '../tensor/tensor.js';
import { booleanArgument, describeValue, NON_NEGATIVE_INTEGER, numberArgument } from '../util/arguments.js';
import { formatShape } from '../util/shape.js';
import { adaptBatches, type AdaptData } from './adapt-data.js';
import type { CallKwargs, LayerInputs, LayerOutput, OutputOf, SymbolicOutputOf } from './call-signature.js';
import { Layer, type ConfigDict, type LayerConfig } from './layer.js';
import type { OptionList, OwnOptions } from './layer-options.js';
import { registerClass, type LayerClass } from './registry.js';
import type { SymbolicShape } from './symbolic-shape.js';
import { SymbolicTensor } from './symbolic-tensor.js';
import { fingerprint64 } from './string-hash.js';
import { TokenCounts } from './token-counts.js';
import { ENCODING_MODES, encodedShape, encodeTokens, outputModeArgument, refuseSparse, type EncodingMode } from './token-encoding.js';

/** 'int': each token's index (int32); 'tf_idf': its counts weighed by idfWeights; the others as CategoryEncoding. */
export type LookupMode = 'int' | EncodingMode | 'tf_idf';

export interface IntegerLookupConfig extends LayerConfig {
  /** The largest vocabulary, counting the mask and OOV indices; adapt keeps the most frequent tokens that fit. Default none. */
  maxTokens?: number | null;
  /** How many indices out-of-vocabulary tokens share (oovMethod picks one); 0 makes such a token an error. Default 1. */
  numOovIndices?: number;
  /** The token that is masked: index 0 in 'int' mode, dropped in the others. Default null (none). */
  maskToken?: number | null;
  /** What `invert` gives for an OOV index. Default -1. */
  oovToken?: number | null;
  /** The tokens, in index order, with or without the mask and OOV tokens before them; else learn them with adapt. */
  vocabulary?: readonly number[] | null;
  /** Keras's dtype of the tokens; only 'int64' (Keras's only choice) is taken. Tokens here are int32. */
  vocabularyDtype?: 'int64';
  /** For 'tf_idf': one weight per vocabulary entry (required with a vocabulary). */
  idfWeights?: readonly number[] | null;
  /** Maps indices back to tokens ('int' mode only). Default false. */
  invert?: boolean;
  /** Default 'int'. */
  outputMode?: LookupMode;
  /** Keras's sparse output; only false (the default) is taken. */
  sparse?: boolean;
  /** Encoded outputs get maxTokens entries whatever the vocabulary's size. Default false. */
  padToMaxTokens?: boolean;
  /**
   * How an OOV token picks among numOovIndices: 'floormod' (Keras's default) takes token floormod
   * numOovIndices; 'farmhash', Fingerprint64 of its decimal form modulo numOovIndices, as Hashing.
   */
  oovMethod?: OovMethod;
  /** Keras's record of the vocabulary's size, which an encoded output's depth may not leave. */
  vocabularySize?: number | null;
  /** Whether `vocabulary` was given rather than learnt, which forbids adapt (Keras reads it from a config too). */
  hasInputVocabulary?: boolean;
}

export type OovMethod = 'floormod' | 'farmhash';

const MODES: readonly LookupMode[] = ['int', ...ENCODING_MODES, 'tf_idf'];
/** Keras's older names for two modes, which it still reads. */
const MODE_ALIASES: Readonly<Record<string, LookupMode>> = { binary: 'multi_hot', 'tf-idf': 'tf_idf' };
const INT32: readonly [string, (x: number) => boolean] = ['an int32 integer', (x) => Number.isInteger(x) && x >= -(2 ** 31) && x < 2 ** 31];

/**
 * Keras's IntegerLookup: integer tokens to indices in a vocabulary, or back with `invert`. The
 * indices are laid out as Keras's: the mask token first (in 'int' mode, if there is one), then
 * numOovIndices OOV indices, then the vocabulary's tokens. The vocabulary is given, or learnt by
 * `adapt(data)`: every token seen, most frequent first, ties going to the larger token.
 *
 * The lookup runs on the host: the tokens are read back, looked up in a Map and the indices
 * uploaded. A token is an arbitrary integer, so doing it with ops would mean comparing each one with
 * the whole vocabulary (memory of tokens × vocabulary); no gradient flows through a lookup anyway,
 * and the tokens come from data, so reading them back costs a copy, on every backend alike. The
 * encodings ('one_hot', 'multi_hot', 'count', 'tf_idf') are then made with ops by CategoryEncoding's
 * code. 'int' indices and inverted tokens are int32 where Keras gives int64. Inputs are int32, or
 * float32 holding whole numbers (a graph input's default dtype).
 *
 * The vocabulary (with its special tokens) and the idf weights are kept in the config, so a saved
 * model keeps them; Keras keeps a learnt vocabulary as an asset file instead, which a Keras 3
 * model.json does not carry — such a layer loads without a vocabulary and must be given one.
 */
export class IntegerLookup extends Layer {
  static override readonly className = 'IntegerLookup';
  static override readonly options: OptionList = {
    maxTokens: true, numOovIndices: true, maskToken: true, oovToken: true, vocabulary: true, vocabularyDtype: true, idfWeights: true, invert: true,
    outputMode: true, sparse: true, padToMaxTokens: true, oovMethod: true, vocabularySize: true, hasInputVocabulary: true,
  } satisfies OwnOptions<IntegerLookupConfig, LayerConfig>;
  readonly maxTokens: number | null;
  readonly numOovIndices: number;
  readonly maskToken: number | null;
  readonly oovToken: number | null;
  readonly invert: boolean;
  readonly outputMode: LookupMode;
  readonly padToMaxTokens: boolean;
  readonly oovMethod: OovMethod;
  readonly #hasInputVocabulary: boolean;
  /** The vocabulary's tokens, without the special ones; null until given or learnt. */
  #tokens: number[] | null = null;
  #indexOf = new Map<number, number>();
  /** 'tf_idf': one weight per index (the special ones too), float32. */
  #idfWeights: number[] | null = null;
  #frozenSize: number | null;
  /** Set while a call on symbolic tensors runs the layer on placeholder zeros. */
  #tracing = false;

  constructor(config: IntegerLookupConfig = {}) {
    // Its dtype is its tokens' (Keras ignores a dtype given for its vocabulary_dtype); int32 here.
    super({ ...config, dtype: 'int32' });
    const owner = 'IntegerLookup';
    const maxTokens = config.maxTokens ?? null;
    if (maxTokens !== null && !(Number.isInteger(maxTokens) && maxTokens > 1)) throw new Error(`${owner}: maxTokens must be an integer greater than 1 (or null), got ${describeValue(maxTokens)}`);
    this.maxTokens = maxTokens;
    this.numOovIndices = numberArgument(owner, 'numOovIndices', config.numOovIndices ?? 1, NON_NEGATIVE_INTEGER);
    this.maskToken = config.maskToken === undefined || config.maskToken === null ? null : numberArgument(owner, 'maskToken', config.maskToken, INT32);
    this.oovToken = config.oovToken === undefined ? -1 : config.oovToken === null ? null : numberArgument(owner, 'oovToken', config.oovToken, INT32);
    this.invert = booleanArgument(owner, 'invert', config.invert, false);
    const mode = typeof config.outputMode === 'string' ? (MODE_ALIASES[config.outputMode] ?? config.outputMode) : config.outputMode;
    this.outputMode = outputModeArgument(owner, mode, MODES, 'int');
    this.padToMaxTokens = booleanArgument(owner, 'padToMaxTokens', config.padToMaxTokens, false);
    refuseSparse(owner, config.sparse);
    if (config.vocabularyDtype !== undefined && config.vocabularyDtype !== 'int64') throw new Error(`${owner}: vocabularyDtype must be 'int64' (as in Keras; tokens are int32 here), got ${describeValue(config.vocabularyDtype)}`);
    if (config.oovMethod !== undefined && config.oovMethod !== 'floormod' && config.oovMethod !== 'farmhash') throw new Error(`${owner}: oovMethod must be 'floormod' or 'farmhash', got ${describeValue(config.oovMethod)}`);
    this.oovMethod = config.oovMethod ?? 'floormod';
    if (this.invert && this.outputMode !== 'int') throw new Error(`${owner}: invert needs outputMode 'int', got outputMode '${this.outputMode}'`);
    if (this.invert && this.oovToken === null) throw new Error(`${owner}: invert gives oovToken for OOV indices, so oovToken must be an integer, got null`);
    if (this.padToMaxTokens && maxTokens === null) throw new Error(`${owner}: padToMaxTokens pads to maxTokens, so maxTokens must be set, got null`);
    const vocabulary = config.vocabulary ?? null;
    const idfWeights = config.idfWeights ?? null;
    if (idfWeights !== null && this.outputMode !== 'tf_idf') throw new Error(`${owner}: idfWeights are only for outputMode 'tf_idf', got outputMode '${this.outputMode}'`);
    this.#hasInputVocabulary = booleanArgument(owner, 'hasInputVocabulary', config.hasInputVocabulary, vocabulary !== null);
    if (this.outputMode === 'tf_idf' && vocabulary !== null && idfWeights === null) throw new Error(`${owner}: outputMode 'tf_idf' with a vocabulary needs idfWeights, got none`);
    if (idfWeights !== null && vocabulary === null) throw new Error(`${owner}: idfWeights weigh a vocabulary, so vocabulary must be given too, got none`);
    const frozen = config.vocabularySize ?? null;
    this.#frozenSize = frozen === null ? null : numberArgument(owner, 'vocabularySize', frozen, NON_NEGATIVE_INTEGER);
    if (vocabulary !== null) this.setVocabulary(vocabulary, idfWeights ?? undefined);
  }

  /** Index 0 holds the mask token in 'int' mode; the OOV indices start after it. */
  get #oovStart(): number {
    return this.maskToken !== null && this.outputMode === 'int' ? 1 : 0;
  }

  get #tokenStart(): number {
    return this.#oovStart + this.numOovIndices;
  }

  /** How many indices there are: the special ones and the vocabulary's tokens. */
  vocabularySize(): number {
    return this.#tokenStart + (this.#tokens?.length ?? 0);
  }

  /** The token of each index, in order (with the mask and OOV tokens first), or only the vocabulary's tokens. */
  getVocabulary(includeSpecialTokens = true): (number | null)[] {
    const tokens = this.#tokens ?? [];
    if (!includeSpecialTokens) return [...tokens];
    return [...Array<number | null>(this.#oovStart).fill(this.maskToken), ...Array<number | null>(this.numOovIndices).fill(this.oovToken), ...tokens];
  }

  /** The idf weights (one per index), for 'tf_idf'; null before there is a vocabulary. */
  get idfWeights(): readonly number[] | null {
    return this.#idfWeights;
  }

  /**
   * Replaces the vocabulary (and, for 'tf_idf', the idf weights, one per entry of `vocabulary`).
   * `vocabulary` may start with the special tokens, in index order; else they are added, and the
   * idf weights get their mean for them, as Keras does.
   */
  setVocabulary(vocabulary: readonly number[], idfWeights?: readonly number[]): void {
    if (this.outputMode === 'tf_idf' && idfWeights === undefined) throw new Error(`${this.#owner}: setVocabulary needs idfWeights for outputMode 'tf_idf', got none`);
    if (this.outputMode !== 'tf_idf' && idfWeights !== undefined) throw new Error(`${this.#owner}: idfWeights are only for outputMode 'tf_idf', got outputMode '${this.outputMode}'`);
    if (!Array.isArray(vocabulary) || vocabulary.length === 0) throw new Error(`${this.#owner}: vocabulary must be a non-empty list of integers, got ${describeValue(vocabulary)}`);
    const special = this.getVocabulary().slice(0, this.#tokenStart);
    const withSpecial = special.every((t, i) => vocabulary[i] === t);
    const tokens = withSpecial ? vocabulary.slice(special.length) : [...vocabulary];
    tokens.forEach((t) => numberArgument(this.#owner, 'vocabulary', t, INT32));
    const repeated = tokens.filter((t, i) => tokens.indexOf(t) !== i);
    if (repeated.length > 0) throw new Error(`${this.#owner}: vocabulary has repeated tokens ${describeValue([...new Set(repeated)])}; each token must appear once`);
    const misplaced = (token: number | null, what: string) => {
      if (token !== null && tokens.includes(token)) {
        throw new Error(`${this.#owner}: vocabulary holds the ${what} ${token} among its tokens; leave the special tokens out, or put exactly ${describeValue(special)} first`);
      }
    };
    misplaced(this.maskToken, 'maskToken');
    if (this.invert) misplaced(this.oovToken, 'oovToken');
    const size = this.#tokenStart + tokens.length;
    if (this.maxTokens !== null && size > this.maxTokens) throw new Error(`${this.#owner}: vocabulary of ${size} entries (with ${this.#tokenStart} special) exceeds maxTokens ${this.maxTokens}`);
    let weights: number[] | null = null;
    if (idfWeights !== undefined) {
      if (!Array.isArray(idfWeights) || !idfWeights.every((w) => typeof w === 'number' && Number.isFinite(w))) throw new Error(`${this.#owner}: idfWeights must be a list of finite numbers, got ${describeValue(idfWeights)}`);
      if (idfWeights.length !== vocabulary.length) throw new Error(`${this.#owner}: idfWeights must have one weight per vocabulary entry (${vocabulary.length}), got ${idfWeights.length}`);
      weights = withSpecial ? idfWeights.map(Math.fround) : withMeanBefore(idfWeights.map(Math.fround), this.#tokenStart);
    }
    this.#install(tokens, weights);
  }

  /** Makes `tokens` the vocabulary; an encoded output's size, once known, may not change (Keras's rule). */
  #install(tokens: number[], idfWeights: number[] | null): void {
    const size = this.#tokenStart + tokens.length;
    if (this.outputMode !== 'int' && !this.padToMaxTokens && this.#frozenSize !== null && this.#frozenSize !== size) {
      throw new Error(`${this.#owner}: outputMode '${this.outputMode}' fixes the vocabulary size at ${this.#frozenSize} once set (unless padToMaxTokens), got a vocabulary of ${size}`);
    }
    this.#tokens = tokens;
    this.#indexOf = new Map(tokens.map((t, i) => [t, this.#tokenStart + i]));
    this.#idfWeights = idfWeights;
    this.#frozenSize = size;
  }

  get #owner(): string {
    return this.label;
  }

  /** How many entries an encoded output has. */
  get #depth(): number {
    if (this.padToMaxTokens) return this.maxTokens!;
    if (this.#frozenSize === null) throw this.#noVocabulary();
    return this.#frozenSize;
  }

  #noVocabulary(): Error {
    return new Error(`${this.label}: it has no vocabulary yet; give one (vocabulary, or setVocabulary — Keras saves a learnt one as an asset, not in the config) or call adapt(data)`);
  }

  /**
   * On symbolic tensors the layer runs once on zeros to find its output; like Keras, which skips
   * the lookup while tracing, it then gives zero indices, so a layer with no vocabulary yet (in
   * 'int' mode) or with numOovIndices 0 can be placed in a model.
   */
  override apply(inputs: Tensor | readonly Tensor[], kwargs?: CallKwargs): OutputOf<this>;
  override apply(inputs: SymbolicTensor | readonly SymbolicTensor[], kwargs?: CallKwargs): SymbolicOutputOf<this>;
  override apply(inputs: LayerInputs, kwargs: CallKwargs = {}): LayerOutput | SymbolicTensor | SymbolicTensor[] {
    const symbolic = inputs instanceof SymbolicTensor || (Array.isArray(inputs) && inputs[0] instanceof SymbolicTensor);
    if (!symbolic) return super.apply(inputs as Tensor, kwargs);
    this.#tracing = true;
    try {
      return super.apply(inputs as SymbolicTensor, kwargs);
    } finally {
      this.#tracing = false;
    }
  }

  override call(inputs: Tensor): Tensor {
    if (this.#tracing) {
      const placeholder = tensor(new Int32Array(inputs.size), inputs.shape, 'int32');
      return this.outputMode === 'int' ? placeholder : this.#encode(this.outputMode, placeholder, undefined);
    }
    if (this.#tokens === null) throw this.#noVocabulary();
    const values = this.#integersOf(inputs, 'inputs');
    if (this.invert) return tensor(Int32Array.from(values, (i) => this.#tokenAt(i)), inputs.shape, 'int32');
    const indices = new Int32Array(values.length);
    // Encodings drop the mask token: it is given index 0 and no weight.
    let kept: Float32Array | null = null;
    for (let i = 0; i < values.length; i++) {
      if (values[i] !== this.maskToken) indices[i] = this.#indexOfToken(values[i]!, i, inputs);
      else if (this.outputMode !== 'int') (kept ??= new Float32Array(values.length).fill(1))[i] = 0;
    }
    const lookedUp = tensor(indices, inputs.shape, 'int32');
    if (this.outputMode === 'int') return lookedUp;
    return this.#encode(this.outputMode, lookedUp, kept === null ? undefined : tensor(kept, inputs.shape, 'float32'));
  }

  /** The `mode` encoding of int32 `lookedUp` indices, those where `keep` is 0 (masked tokens) left out. */
  #encode(mode: Exclude<LookupMode, 'int'>, lookedUp: Tensor, keep: Tensor | undefined): Tensor {
    if (mode === 'one_hot') {
      const rows = encodeTokens(this.label, lookedUp, 'one_hot', this.#depth);
      return keep ? mul(rows, reshape(keep, [...rows.shape.slice(0, -1), 1])) : rows;
    }
    const encoded = encodeTokens(this.label, lookedUp, mode === 'tf_idf' ? 'count' : mode, this.#depth, keep);
    return mode === 'tf_idf' ? mul(encoded, tensor(this.#paddedIdf(), [this.#depth])) : encoded;
  }

  /** A token's index: its vocabulary slot, else an OOV index (by oovMethod); with none, an error. */
  #indexOfToken(token: number, at: number, inputs: Tensor): number {
    const index = this.#indexOf.get(token);
    if (index !== undefined) return index;
    if (this.numOovIndices === 0) {
      throw new Error(`${this.label}: with numOovIndices 0 every token must be in the vocabulary, got ${token} at flat index ${at} of inputs of shape ${formatShape(inputs.shape)}; set numOovIndices to 1 or more`);
    }
    const n = this.numOovIndices;
    if (this.oovMethod === 'farmhash') return this.#oovStart + Number(fingerprint64(String(token)) % BigInt(n));
    return this.#oovStart + (((token % n) + n) % n);
  }

  /** The token of index `i`: the mask token at 0 (if any), oovToken for OOV and unknown indices. */
  #tokenAt(i: number): number {
    if (this.maskToken !== null && i === 0) return this.maskToken;
    return this.#tokens![i - this.#tokenStart] ?? this.oovToken!;
  }

  /** The idf weights, with zeros for the entries padToMaxTokens adds. */
  #paddedIdf(): Float32Array {
    const weights = new Float32Array(this.#depth);
    // None while tracing a layer not yet adapted with padToMaxTokens: its placeholder output is all zeros anyway.
    if (this.#idfWeights) weights.set(this.#idfWeights.slice(0, weights.length));
    return weights;
  }

  /** The values of int32 `x`, or float32 `x` holding whole numbers in int32's range; else an error naming `what`. */
  #integersOf(x: Tensor, what: string): number[] {
    const values = Array.from(x.dataSync() as ArrayLike<number>);
    if (x.dtype === 'int32') return values;
    const bad = values.findIndex((v) => !INT32[1](v));
    if (x.dtype !== 'float32' || bad >= 0) {
      throw new Error(`${this.label}: ${what} must be int32 tokens (or float32 holding whole numbers), got ${x.dtype}${bad >= 0 ? ` ${describeValue(values[bad])} at flat index ${bad}` : ''} of shape ${formatShape(x.shape)}`);
    }
    return values;
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    if (this.outputMode === 'int') return inputShape;
    return encodedShape(this.label, this.outputMode === 'tf_idf' ? 'count' : this.outputMode, inputShape, this.#depth);
  }

  /**
   * Learns the vocabulary from `data` (a tensor, or batches of one: a Dataset, whose batches are
   * freed, or a list; an [x, y] element gives its x), replacing any learnt before: every token
   * but the mask and OOV tokens, most frequent first (ties: larger token first), the first
   * maxTokens − (special indices) of them. For 'tf_idf' it also counts documents, as Keras does:
   * the rows of a batch, a batch of rank 1 being one document — but a tensor of rank 1 given
   * whole is one document per token. The idf weight of the OOV indices is the mean of the others.
   */
  async adapt(data: AdaptData): Promise<void> {
    if (this.#hasInputVocabulary) throw new Error(`${this.label}: adapt() cannot follow a vocabulary given when the layer was made; make it without vocabulary to learn one`);
    const counts = new TokenCounts();
    for await (const batch of adaptBatches(this.label, data)) {
      const tokens = this.#integersOf(batch, 'adapt() data');
      const documents = batch.rank === 0 ? 1 : batch.rank === 1 ? (data instanceof Tensor ? tokens.length : 1) : batch.shape[0]!;
      counts.add(tokens, documents);
    }
    if (counts.size === 0) return;
    const ranked = counts.ranked([this.maskToken, this.oovToken]);
    const tokens = this.maxTokens === null ? ranked : ranked.slice(0, Math.max(0, this.maxTokens - this.#tokenStart));
    this.#install(tokens, this.outputMode === 'tf_idf' ? withMeanBefore(counts.idfWeights(tokens), this.#tokenStart) : null);
  }

  override getConfig(): ConfigDict {
    const vocabulary = this.#tokens === null ? null : this.getVocabulary();
    return {
      ...super.getConfig(), invert: this.invert, maxTokens: this.maxTokens, numOovIndices: this.numOovIndices, oovToken: this.oovToken, maskToken: this.maskToken,
      outputMode: this.outputMode, sparse: false, padToMaxTokens: this.padToMaxTokens, vocabularyDtype: 'int64',
      idfWeights: this.#idfWeights && [...this.#idfWeights], vocabulary, vocabularySize: this.#frozenSize, oovMethod: this.oovMethod, hasInputVocabulary: this.#hasInputVocabulary,
    };
  }
  /**
   * The config's vocabulary may leave out the special tokens (Keras's does: it keeps the one it
   * was given) where getConfig lists them, so the layer is made from it without comparing.
   */
  static override fromConfig(cls: LayerClass, config: ConfigDict): Layer {
    return new cls(config);
  }
}
registerClass(IntegerLookup as LayerClass);

/** `weights` after `count` copies of their mean, in float32: Keras's stand-in idf for the special indices. */
function withMeanBefore(weights: readonly number[], count: number): number[] {
  const mean = weights.length === 0 ? 0 : Math.fround(weights.reduce((a, b) => a + b, 0) / weights.length);
  return [...Array<number>(count).fill(mean), ...weights];
}
