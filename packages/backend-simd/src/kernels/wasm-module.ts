import { KERNELS_WASM_BASE64 } from './kernels-wasm.js';

/** The functions kernels.wat exports (addresses and strides in bytes). */
export interface KernelExports {
  readonly memory: WebAssembly.Memory;
  packA(a: number, aRow: number, aCol: number, m: number, k: number, out: number): void;
  packB(b: number, bRow: number, bCol: number, k: number, n: number, out: number): void;
  gemm(ap: number, bp: number, c: number, m: number, k: number, nPanels: number, bias: number, relu: number, skipZeros: number): void;
  adam(x: number, g: number, m: number, v: number, count: number, alpha: number, c1: number, c2: number, epsilon: number): void;
  binary(op: number, a: number, aRow: number, aCol: number, b: number, bRow: number, bCol: number, out: number, rows: number, cols: number): void;
}

const PAGE_BYTES = 65536;
export const FLOAT_BYTES = 4;

function decodeBase64(base64: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** The compiled kernels (embedded as base64, so loading needs no file access). */
export const KERNELS_WASM_BYTES: Uint8Array<ArrayBuffer> = decodeBase64(KERNELS_WASM_BASE64);

/**
 * The instantiated kernels and their linear memory, used as scratch: each kernel call lays out
 * its operands from the start (float index 4, byte 16: address 0 means "none" to the kernels),
 * so nothing lives in memory between calls. Memory grows to the largest call seen and stays,
 * so later calls of that size allocate nothing.
 */
export class WasmKernels {
  private floats: Float32Array;

  private constructor(readonly run: KernelExports) {
    this.floats = new Float32Array(run.memory.buffer);
  }

  static async create(): Promise<WasmKernels> {
    const { instance } = await WebAssembly.instantiate(KERNELS_WASM_BYTES);
    return new WasmKernels(instance.exports as unknown as KernelExports);
  }

  /** A view of the whole memory with room for at least `floatCount` floats, growing it if needed. */
  reserve(floatCount: number): Float32Array {
    const { memory } = this.run;
    const missing = floatCount * FLOAT_BYTES - memory.buffer.byteLength;
    if (missing > 0) {
      try {
        memory.grow(Math.ceil(missing / PAGE_BYTES));
      } catch (error) {
        throw new Error(`simd backend: a kernel needs ${floatCount * FLOAT_BYTES} bytes of WebAssembly memory, which could not grow beyond ${memory.buffer.byteLength} (${(error as Error).message})`, { cause: error });
      }
    }
    // Growing detaches the old buffer.
    if (this.floats.buffer !== memory.buffer) this.floats = new Float32Array(memory.buffer);
    return this.floats;
  }
}

/** The first float index kernels may use, and how regions are aligned (4 floats = 16 bytes). */
export const FIRST_FLOAT = 4;
export const roundUp = (x: number, multiple: number): number => Math.ceil(x / multiple) * multiple;
