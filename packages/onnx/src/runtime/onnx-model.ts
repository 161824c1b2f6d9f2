import { formatShape, Tensor, tensor, type DataArray, type DType } from '@perceptron/core';
import type * as Ort from 'onnxruntime-node';
import { describeSignature, parseOnnx, readModelFile, type ValueSignature } from '../model-file.js';
import { onnxTypeName, onnxTypeOf, toNumber } from '../proto.js';

export interface OnnxModelOptions {
  /** Threads inside one op; default 1, for timings that repeat from run to run. */
  intraOpNumThreads?: number;
  /** Threads running independent ops in parallel; default 1. */
  interOpNumThreads?: number;
}

/** What `run` returns for typed-array input: the output values and their shape. */
export interface OnnxRunResult {
  data: DataArray;
  shape: number[];
}

type OrtModule = typeof Ort;

/**
 * A model served by onnxruntime-node. onnxruntime-node is imported when a model is loaded, never
 * at the top of a module, so code that only exports (and may run in a browser) never loads it.
 */
export class OnnxModel {
  private constructor(
    private readonly ort: OrtModule,
    private readonly session: Ort.InferenceSession,
    /** The file path, or 'bytes'. */
    readonly source: string,
    readonly input: ValueSignature,
    readonly output: ValueSignature,
    readonly opset: number,
    readonly irVersion: number,
  ) {}

  /** Loads a model from a file path or from bytes; a file that is not ONNX, or cut short, is an error naming it. */
  static async load(source: string | Uint8Array, options: OnnxModelOptions = {}): Promise<OnnxModel> {
    const name = typeof source === 'string' ? source : 'bytes';
    const bytes = typeof source === 'string' ? await readModelFile(source, 'OnnxModel.load') : source;
    let parsed;
    try {
      parsed = parseOnnx(bytes, name);
    } catch (error) {
      throw new Error(`OnnxModel.load: ${(error as Error).message}`, { cause: error });
    }
    const ort = await import('onnxruntime-node');
    let session: Ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(bytes, {
        intraOpNumThreads: options.intraOpNumThreads ?? 1,
        interOpNumThreads: options.interOpNumThreads ?? 1,
        executionMode: 'sequential',
      });
    } catch (error) {
      throw new Error(`OnnxModel.load: onnxruntime cannot load ${name}: ${(error as Error).message}`, { cause: error });
    }
    return new OnnxModel(ort, session, name, parsed.input, parsed.output, parsed.opset, toNumber(parsed.model.irVersion));
  }

  /** Runs one batch: a core tensor gives a core tensor (on the active backend), a typed array gives a typed array. */
  run(input: Tensor): Promise<Tensor>;
  run(input: Float32Array | Int32Array, shape: readonly number[]): Promise<OnnxRunResult>;
  async run(input: Tensor | Float32Array | Int32Array, shape?: readonly number[]): Promise<Tensor | OnnxRunResult> {
    const isTensor = input instanceof Tensor;
    const dims = isTensor ? [...input.shape] : [...(shape ?? [])];
    const dtype = isTensor ? input.dtype : input instanceof Float32Array ? 'float32' : input instanceof Int32Array ? 'int32' : null;
    this.checkInput(dtype, dims, isTensor ? input.size : (input as { length?: number }).length, shape !== undefined || isTensor);
    const data = isTensor ? await input.data() : input;
    const feeds = { [this.input.name]: new this.ort.Tensor(dtype === 'int32' ? 'int32' : 'float32', data as Float32Array | Int32Array, dims) };
    const results = await this.session.run(feeds);
    const result = results[this.output.name]!;
    const out = toDataArray(result);
    const outShape = result.dims.map(Number);
    return isTensor ? tensor(out.data, outShape, out.dtype) : { data: out.data, shape: outShape };
  }

  private checkInput(dtype: DType | 'bool' | null, dims: number[], size: number | undefined, hasShape: boolean): void {
    const expected = `input '${this.input.name}' of ${describeSignature(this.input)}`;
    if (!hasShape) throw new Error(`OnnxModel.run: a typed array needs its shape, e.g. run(data, [batch, ...]); the model expects ${expected}`);
    const given = `${dtype ?? 'an unsupported array type'} ${formatShape(dims)}`;
    if (dtype === null || onnxTypeOf(dtype) !== this.input.elemType) {
      throw new Error(`OnnxModel.run: expected ${expected}, got ${given} (element type ${dtype ?? 'unknown'} instead of ${onnxTypeName(this.input.elemType)})`);
    }
    const fits = dims.length === this.input.shape.length
      && dims.every((d, i) => Number.isInteger(d) && d > 0 && (typeof this.input.shape[i] !== 'number' || this.input.shape[i] === d));
    if (!fits) throw new Error(`OnnxModel.run: expected ${expected}, got ${given}`);
    const count = dims.reduce((a, d) => a * d, 1);
    if (size !== count) throw new Error(`OnnxModel.run: shape ${formatShape(dims)} needs ${count} values, the array has ${size}`);
  }

  /** Frees the onnxruntime session. */
  async release(): Promise<void> {
    await this.session.release();
  }
}

/** onnxruntime's output data as core's: int64 becomes int32, bool bytes stay bytes. */
function toDataArray(t: Ort.Tensor): { data: DataArray; dtype: DType } {
  switch (t.type) {
    case 'float32': return { data: t.data as Float32Array, dtype: 'float32' };
    case 'int32': return { data: t.data as Int32Array, dtype: 'int32' };
    case 'int64': return { data: Int32Array.from(t.data as BigInt64Array, Number), dtype: 'int32' };
    case 'bool': return { data: new Uint8Array(t.data as Uint8Array), dtype: 'bool' };
    default: throw new Error(`OnnxModel.run: the output has element type ${t.type}; expected float32, int32, int64 or bool`);
  }
}
