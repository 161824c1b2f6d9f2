import { tensor, type DataArray, type DType, type NamedTensors, type Tensor } from '@perceptron/core';
import type * as Ort from 'onnxruntime-node';
import { parseOnnx, readModelFile, type ValueSignature } from '../model-file.js';
import { toNumber } from '../proto.js';
import { feedsFor, type RunInput } from './feeds.js';

export interface OnnxModelOptions {
  /** Threads inside one op; default 1, for timings that repeat from run to run. */
  intraOpNumThreads?: number;
  /** Threads running independent ops in parallel; default 1. */
  interOpNumThreads?: number;
}

/** What `run` returns for typed-array input: an output's values and its shape. */
export interface OnnxRunResult {
  /** The values, row-major: a Float32Array, an Int32Array (int64 outputs are narrowed) or a Uint8Array (bool). */
  data: DataArray;
  /** The output's dimensions, batch first. */
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
    /** The graph inputs `run` feeds, in order. */
    readonly inputs: readonly ValueSignature[],
    /** The graph outputs `run` returns, in order. */
    readonly outputs: readonly ValueSignature[],
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
    return new OnnxModel(ort, session, name, parsed.inputs, parsed.outputs, parsed.opset, toNumber(parsed.model.irVersion));
  }

  /**
   * Runs one batch. Core tensors (for a model of several inputs, a list of them in the graph's
   * order or them keyed by graph input name, as core's `predict` takes x) give core tensors on
   * the active backend; a typed array and its shape (for a model of one input) give typed arrays.
   * Each input must have the graph input's element type (an int32 Input takes int32 tensors or
   * an Int32Array, a bool Input bool tensors or a Uint8Array of 0s and 1s); an int64 input also
   * takes int32 tensors and Int32Arrays (widened) or a BigInt64Array. One result per output: a
   * list when the graph has several outputs.
   */
  run(input: Tensor | readonly Tensor[] | NamedTensors): Promise<Tensor | Tensor[]>;
  run(input: Float32Array | Int32Array | BigInt64Array | Uint8Array, shape: readonly number[]): Promise<OnnxRunResult | OnnxRunResult[]>;
  async run(input: RunInput, shape?: readonly number[]): Promise<Tensor | Tensor[] | OnnxRunResult | OnnxRunResult[]> {
    const feeds = await feedsFor(this.inputs, input, shape);
    const results = await this.session.run(Object.fromEntries(feeds.map((f, i) => [this.inputs[i]!.name, new this.ort.Tensor(f.type, f.data, f.dims)])));
    // Every output is read before any becomes a tensor, so an unsupported one leaves none behind.
    const arrays = this.outputs.map(({ name }) => ({ ...toDataArray(results[name]!, name), shape: results[name]!.dims.map(Number) }));
    const outputs = ArrayBuffer.isView(input)
      ? arrays.map(({ data, shape: dims }) => ({ data, shape: dims }))
      : arrays.map(({ data, shape: dims, dtype }) => tensor(data, dims, dtype));
    return outputs.length === 1 ? outputs[0]! : outputs;
  }

  /** Frees the onnxruntime session. */
  async release(): Promise<void> {
    await this.session.release();
  }
}

/** onnxruntime's output data as core's: int64 becomes int32, bool bytes stay bytes. */
function toDataArray(t: Ort.Tensor, output: string): { data: DataArray; dtype: DType } {
  switch (t.type) {
    case 'float32': return { data: t.data as Float32Array, dtype: 'float32' };
    case 'int32': return { data: t.data as Int32Array, dtype: 'int32' };
    case 'int64': return { data: Int32Array.from(t.data as BigInt64Array, Number), dtype: 'int32' };
    case 'bool': return { data: new Uint8Array(t.data as Uint8Array), dtype: 'bool' };
    default: throw new Error(`OnnxModel.run: output '${output}' has element type ${t.type}; expected float32, int32, int64 or bool`);
  }
}
