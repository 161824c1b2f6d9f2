import { tensor } from '../ops/convert.js';
import type { Tensor } from '../tensor/tensor.js';
import { describeValue, numberArgument, POSITIVE_INTEGER } from '../util/arguments.js';
import { formatShape } from '../util/shape.js';
import { Layer, type ConfigDict, type LayerConfig } from './layer.js';
import type { OptionList, OwnOptions } from './layer-options.js';
import { registerClass, type LayerClass } from './registry.js';
import { fingerprint64, strongKeyedHash } from './string-hash.js';
import type { SymbolicShape } from './symbolic-shape.js';
import { ENCODING_MODES, encodedShape, encodeTokens, outputModeArgument, refuseSparse, type EncodingMode } from './token-encoding.js';

/** 'int': each value's bin (int32); the others encode the bins as CategoryEncoding does. */
export type HashingMode = 'int' | EncodingMode;

export interface HashingConfig extends LayerConfig {
  /** How many bins there are, the mask's bin 0 included. */
  numBins: number;
  /** A value that goes to bin 0 (the others then share bins 1 to numBins − 1). Default null (none). */
  maskValue?: number | null;
  /** Makes the hash SipHash keyed by [salt, salt], or by the two integers given. Default null: FarmHash. */
  salt?: number | readonly [number, number] | null;
  /** Default 'int'. */
  outputMode?: HashingMode;
  /** Keras's sparse output; only false (the default) is taken. */
  sparse?: boolean;
}

const MODES: readonly HashingMode[] = ['int', ...ENCODING_MODES];
const isInt32 = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= -(2 ** 31) && v < 2 ** 31;

/**
 * Keras's Hashing on integer inputs: each value's bin is a hash of its decimal form (as Keras
 * hashes integers, through tf.as_string) modulo the bins — TensorFlow's Fingerprint64
 * (to_hash_bucket_fast) without a salt, its SipHash StrongKeyedHash (to_hash_bucket_strong) with
 * one — so the bins equal Keras's. The hashes run on the host in BigInt (TensorFlow runs them on
 * the CPU too): the values are read back, each distinct one hashed once, and the bins uploaded;
 * the encodings are made with ops by CategoryEncoding's code. 'int' bins are int32 where Keras
 * gives int64. Inputs are int32, or float32 holding whole numbers in int32's range; Keras's string
 * inputs have no tensor here. No gradient flows to the inputs.
 */
export class Hashing extends Layer {
  static override readonly className = 'Hashing';
  static override readonly options: OptionList = { numBins: true, maskValue: true, salt: true, outputMode: true, sparse: true } satisfies OwnOptions<HashingConfig, LayerConfig>;
  readonly numBins: number;
  readonly maskValue: number | null;
  /** The SipHash key, or null for FarmHash. */
  readonly salt: readonly [number, number] | null;
  readonly outputMode: HashingMode;

  constructor(config: HashingConfig) {
    const outputMode = outputModeArgument('Hashing', config.outputMode, MODES, 'int');
    // Keras's dtype is its output's: an integer type for 'int', a float for the encodings.
    super({ ...config, dtype: outputMode === 'int' ? 'int32' : 'float32' });
    this.outputMode = outputMode;
    this.numBins = numberArgument('Hashing', 'numBins', config.numBins, POSITIVE_INTEGER);
    const mask = config.maskValue ?? null;
    if (mask !== null && !isInt32(mask)) throw new Error(`Hashing: maskValue must be an int32 integer (or null), got ${describeValue(mask)}`);
    this.maskValue = mask;
    this.salt = saltArgument(config.salt ?? null);
    refuseSparse('Hashing', config.sparse);
  }

  override call(inputs: Tensor): Tensor {
    const values = Array.from(inputs.dataSync() as ArrayLike<number>);
    const bad = values.findIndex((v) => !isInt32(v));
    if (bad >= 0 || (inputs.dtype !== 'int32' && inputs.dtype !== 'float32')) {
      throw new Error(`${this.label}: inputs must be int32 (or float32 holding whole numbers in int32's range), got ${inputs.dtype}${bad >= 0 ? ` ${describeValue(values[bad])} at flat index ${bad}` : ''} of shape ${formatShape(inputs.shape)}`);
    }
    const masking = this.maskValue !== null && this.numBins > 1;
    const bins = BigInt(masking ? this.numBins - 1 : this.numBins);
    const binOf = new Map<number, number>();
    const key = this.salt && ([BigInt(this.salt[0]), BigInt(this.salt[1])] as const);
    const hashed = Int32Array.from(values, (v) => {
      if (masking && v === this.maskValue) return 0;
      let bin = binOf.get(v);
      if (bin === undefined) {
        const text = String(v);
        bin = Number((key ? strongKeyedHash(key, text) : fingerprint64(text)) % bins) + (masking ? 1 : 0);
        binOf.set(v, bin);
      }
      return bin;
    });
    const indices = tensor(hashed, inputs.shape, 'int32');
    return this.outputMode === 'int' ? indices : encodeTokens(this.label, indices, this.outputMode, this.numBins);
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    return this.outputMode === 'int' ? inputShape : encodedShape(this.label, this.outputMode, inputShape, this.numBins);
  }

  override getConfig(): ConfigDict {
    return { ...super.getConfig(), numBins: this.numBins, salt: this.salt && [...this.salt], maskValue: this.maskValue, outputMode: this.outputMode, sparse: false };
  }
}
registerClass(Hashing as LayerClass);

/** Keras's salt: null, one integer (used twice) or two; else an error naming it. */
function saltArgument(salt: unknown): readonly [number, number] | null {
  if (salt === null) return null;
  const pair = typeof salt === 'number' ? [salt, salt] : salt;
  if (!Array.isArray(pair) || pair.length !== 2 || !pair.every((s) => Number.isSafeInteger(s))) {
    throw new Error(`Hashing: salt must be an integer or a list of two integers (the SipHash key), got ${describeValue(salt)}`);
  }
  return [pair[0] as number, pair[1] as number];
}
