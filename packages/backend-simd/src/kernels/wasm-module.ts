import { HelperThreads, MAX_TASKS, SHAREABLE_KERNELS, TASKS_PER_THREAD, type HelperHost, type ShareableKernel, type Task } from './helper-threads.js';
import { KERNELS_SHARED_WASM_BASE64, KERNELS_WASM_BASE64 } from './kernels-wasm.js';

/** The functions kernels.wat exports (addresses and strides in bytes). */
export interface KernelExports {
  packA(a: number, aRow: number, aCol: number, m: number, k: number, out: number): void;
  packB(b: number, bRow: number, bCol: number, k: number, n: number, out: number): void;
  gemm(ap: number, bp: number, c: number, m: number, k: number, nPanels: number, bias: number, relu: number, skipZeros: number): void;
  dot(a: number, b: number, count: number, block: number): number;
  adam(x: number, g: number, m: number, v: number, count: number, alpha: number, c1: number, c2: number, epsilon: number): void;
  binary(op: number, a: number, aStep: number, b: number, bStep: number, out: number, count: number): void;
  sigmoidTanh(mode: number, x: number, count: number): void;
  sumColumns(x: number, rows: number, cols: number, sums: number): void;
  conv2d(
    mode: number, x: number, taps: number, pixels: number,
    batch: number, inHeight: number, inWidth: number, inChannels: number, outHeight: number, outWidth: number, panels: number,
    filterHeight: number, filterWidth: number, strideHeight: number, strideWidth: number, dilationHeight: number, dilationWidth: number,
    padTop: number, padLeft: number, skipZeros: number,
  ): void;
  depthwiseConv2d(
    mode: number, images: number, taps: number, pixels: number,
    batch: number, inHeight: number, inWidth: number, vectors: number, outHeight: number, outWidth: number,
    filterHeight: number, filterWidth: number, strideHeight: number, strideWidth: number, dilationHeight: number, dilationWidth: number,
    padTop: number, padLeft: number,
  ): void;
  pool2d(
    mode: number, images: number, gradients: number, pixels: number,
    batch: number, inHeight: number, inWidth: number, vectors: number, outHeight: number, outWidth: number,
    windowHeight: number, windowWidth: number, strideHeight: number, strideWidth: number, padTop: number, padLeft: number,
  ): void;
}

const PAGE_BYTES = 65536;
export const FLOAT_BYTES = 4;

function decodeBase64(base64: string): Uint8Array<ArrayBuffer> {
  const text = atob(base64);
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i);
  return bytes;
}

/** The compiled kernels (embedded as base64, so loading needs no file access): over a plain memory, and over a shared one. */
export const KERNELS_WASM_BYTES: Uint8Array<ArrayBuffer> = decodeBase64(KERNELS_WASM_BASE64);
export const KERNELS_SHARED_WASM_BYTES: Uint8Array<ArrayBuffer> = decodeBase64(KERNELS_SHARED_WASM_BASE64);

/** The most pages a wasm32 memory can have; a shared memory must declare its maximum. */
const MAX_PAGES = 65536;

/**
 * The instantiated kernels and their linear memory, used as scratch: each kernel call lays out
 * its operands from the start (float index 4, byte 16: address 0 means "none" to the kernels),
 * so nothing lives in memory between calls. Memory grows to the largest call seen and stays,
 * so later calls of that size allocate nothing.
 *
 * Given helper threads (Node's worker threads, or a cross-origin isolated page's Web Workers;
 * helper-hosts.ts) and more than one thread, the memory is shared and the tasks
 * of large kernels (rows of products, images of convolutions) are run by helper threads too
 * (helper-threads.ts), started on the first such job (a page's, when the kernels are created:
 * see HelperHost.startsOnEventLoop). Copies into a shared memory are slower
 * (~1.6× on Node 20), so the backend keeps a plain instance too and sends only large jobs here.
 */
export class WasmKernels {
  private floats: Float32Array;
  private helpers: HelperThreads | null = null;
  /** How many tasks to split a job into: one on a single thread, else TASKS_PER_THREAD for each thread. */
  readonly tasksPerJob: number;

  private constructor(
    readonly run: KernelExports,
    private readonly memory: WebAssembly.Memory,
    /** Threads that run a job's tasks, this one included. */
    readonly threads: number,
    private startHelpers: (() => HelperThreads) | null,
  ) {
    this.floats = new Float32Array(memory.buffer);
    this.tasksPerJob = threads === 1 ? 1 : Math.min(MAX_TASKS, TASKS_PER_THREAD * threads);
  }

  /** `threads` counts this thread: 1 runs everything here; n > 1 needs a `host` to start the n − 1 helpers. */
  static async create(threads = 1, host: HelperHost | null = null): Promise<WasmKernels> {
    const helperCount = host ? threads - 1 : 0;
    const memory = new WebAssembly.Memory(helperCount > 0 ? { initial: 1, maximum: MAX_PAGES, shared: true } : { initial: 1 });
    const module = await WebAssembly.compile(helperCount > 0 ? KERNELS_SHARED_WASM_BYTES : KERNELS_WASM_BYTES);
    const instance = await WebAssembly.instantiate(module, { env: { memory } });
    const run = instance.exports as unknown as KernelExports;
    const kernels = SHAREABLE_KERNELS.map((name) => run[name] as (...args: number[]) => void);
    const startHelpers = helperCount > 0 ? () => new HelperThreads(host!, module, memory, helperCount, kernels) : null;
    const created = new WasmKernels(run, memory, helperCount + 1, startHelpers);
    if (host?.startsOnEventLoop && helperCount > 0) await created.#helpersReady(HELPER_START_MS);
    return created;
  }

  /** Starts the helpers and lets the event loop turn until they are ready, or `withinMs` has passed (jobs then run on the ready ones). */
  async #helpersReady(withinMs: number): Promise<void> {
    const helpers = this.#started();
    for (const deadline = Date.now() + withinMs; helpers && helpers.ready < this.threads - 1 && Date.now() < deadline;) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  /** The helpers, started on the first call; null once stopped. */
  #started(): HelperThreads | null {
    if (this.startHelpers) {
      this.helpers = this.startHelpers();
      this.startHelpers = null;
    }
    return this.helpers;
  }

  /** A view of the whole memory with room for at least `floatCount` floats, growing it if needed. */
  reserve(floatCount: number): Float32Array {
    const { memory } = this;
    const missing = floatCount * FLOAT_BYTES - memory.buffer.byteLength;
    if (missing > 0) {
      try {
        memory.grow(Math.ceil(missing / PAGE_BYTES));
      } catch (error) {
        throw new Error(`simd backend: a kernel needs ${floatCount * FLOAT_BYTES} bytes of WebAssembly memory, which could not grow beyond ${memory.buffer.byteLength} (${(error as Error).message})`, { cause: error });
      }
    }
    // Growing detaches a plain memory's buffer, and gives a shared memory a new, longer one.
    if (this.floats.byteLength !== memory.buffer.byteLength) this.floats = new Float32Array(memory.buffer);
    return this.floats;
  }

  /** Threads running shared jobs now: 1 until the helpers (started by the first job) are ready. */
  get threadsAtWork(): number {
    return 1 + (this.helpers?.ready ?? 0);
  }

  /** Tasks that helper threads have run so far. */
  get tasksByHelpers(): number {
    return this.helpers?.tasksByHelpers ?? 0;
  }

  /** Ends the helper threads, started or not: later jobs run on this thread alone. */
  stopHelpers(): void {
    this.startHelpers = null;
    this.helpers?.terminate();
    this.helpers = null;
  }

  /**
   * Runs `kernel` once per task (at most MAX_TASKS), shared with the helper threads when there
   * are any (the first job starts them): the tasks must write apart, and may run in any order.
   */
  runTasks(kernel: ShareableKernel, tasks: readonly Task[]): void {
    const helpers = this.threads > 1 ? this.#started() : null;
    if (helpers && tasks.length > 1) {
      helpers.run(kernel, tasks);
    } else {
      const run = this.run[kernel] as (...args: number[]) => void;
      for (const args of tasks) run(...args);
    }
  }
}

/** How long kernels whose helpers start on the event loop wait for them when created. */
const HELPER_START_MS = 5_000;

/** The first float index kernels may use, and how regions are aligned (4 floats = 16 bytes). */
export const FIRST_FLOAT = 4;
export const roundUp = (x: number, multiple: number): number => Math.ceil(x / multiple) * multiple;
