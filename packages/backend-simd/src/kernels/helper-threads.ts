/** The gemm kernel's arguments (addresses in bytes), as one share of a product is given them. */
export interface GemmCall {
  ap: number; bp: number; c: number; m: number; k: number; nPanels: number; bias: number; relu: number; skipZeros: number;
}

/** The parts of `node:worker_threads` used here (so that this file needs no Node types at run time). */
export interface WorkerThreadsModule {
  Worker: new (source: string, options: { eval: true; workerData: unknown; execArgv: string[] }) => {
    unref(): void;
    on(event: 'error', listener: (error: unknown) => void): void;
  };
}

// The control array: the product being computed (gemm's arguments, and the rows per chunk),
// the next row not yet taken, then SLOT int32s per helper: the number of the job it is asked to
// join, the number of the job it finished (negative if it failed), whether it is ready, and how
// many rows it has computed in all.
const ARG_NAMES = ['ap', 'bp', 'c', 'm', 'k', 'nPanels', 'bias', 'relu', 'skipZeros'] as const;
const CHUNK_ROWS = ARG_NAMES.length;
const NEXT_ROW = CHUNK_ROWS + 1;
const HEADER = NEXT_ROW + 1;
const SLOT = 4;
const JOB = 0;
const DONE = 1;
const READY = 2;
const ROWS = 3;

/**
 * Every thread, the caller included, takes chunks of rows until none is left: gemm on rows
 * first..first+count of A and C (whole 4-row blocks of packed A, so a chunk starts at
 * ap + first·k·4 bytes and C's row first at c + first·nPanels·32). Plain JavaScript, written
 * once here and run by the caller and, as text, by the helpers; a helper counts its rows at
 * `rowsAt` (the caller passes −1).
 */
function takeChunks(flags: Int32Array, gemm: (...args: number[]) => void, rowsAt: number): void {
  const [ap, bp, c, m, k, nPanels, bias, relu, skipZeros, chunk] = Array.from(flags.subarray(0, NEXT_ROW)) as number[];
  for (let first = Atomics.add(flags, NEXT_ROW, chunk!); first < m!; first = Atomics.add(flags, NEXT_ROW, chunk!)) {
    const rows = Math.min(chunk!, m! - first);
    gemm(ap! + first * k! * 4, bp!, c! + first * nPanels! * 32, rows, k!, nPanels!, bias!, relu!, skipZeros!);
    if (rowsAt >= 0) Atomics.add(flags, rowsAt, rows);
  }
}

/**
 * The helper's program (plain JavaScript, run with `eval`, so it works the same from sources
 * and from the build): its own instance of the kernels over the shared memory, then forever:
 * sleep until a job number is posted, take chunks of its rows, post the number back.
 */
const HELPER_SOURCE = `
const { workerData } = require('node:worker_threads');
const { module, memory, control, slot } = workerData;
const flags = new Int32Array(control);
const at = ${HEADER} + slot * ${SLOT};
const { gemm } = new WebAssembly.Instance(module, { env: { memory } }).exports;
const NEXT_ROW = ${NEXT_ROW};
const takeChunks = ${takeChunks.toString()};
Atomics.store(flags, at + ${READY}, 1);
let job = 0;
for (;;) {
  Atomics.wait(flags, at + ${JOB}, job);
  job = Atomics.load(flags, at + ${JOB});
  let done = job;
  try { takeChunks(flags, gemm, at + ${ROWS}); } catch { done = -job; }
  Atomics.store(flags, at + ${DONE}, done);
  Atomics.notify(flags, at + ${DONE});
}
`;

/** Below this many multiply-adds one thread is faster: waking a helper costs more. */
const MIN_SHARED_PRODUCT = 1 << 21;
/**
 * Below this many multiply-adds per value copied in or out (m·k·n over m·k + k·n + m·n), the
 * copies, which stay on the calling thread and cost more into a shared memory, outweigh what
 * the helpers save: the lab MLP's predict (1000×784×16, 15 per value) ran up to 1.4× slower shared.
 */
const MIN_INTENSITY = 24;

/** Whether an m×k×n product is large and dense enough to share among threads. */
export const worthSharing = (m: number, k: number, n: number): boolean =>
  m * k * n >= MIN_SHARED_PRODUCT && m * k * n >= MIN_INTENSITY * (m * k + k * n + m * n);

/** worthSharing for one gemm call (n as its panels hold it). */
export const worthSharingCall = (call: GemmCall): boolean => worthSharing(call.m, call.k, call.nPanels * 8);

/**
 * Worker threads that compute rows of large matrix products beside the calling thread, each in
 * its own instance of the kernels over the same shared memory. Every element of C is still
 * one chain of float32 adds in the same order, so a shared product equals a single-threaded
 * one bit for bit. The calling thread blocks (Atomics.wait) until its helpers finish, as a
 * synchronous kernel must; helpers sleep between products and do not keep the process alive.
 * They start in the background: products run on one thread until a helper is ready.
 */
export class HelperThreads {
  private readonly control: Int32Array;
  private lastJob = 0;

  constructor(threads: WorkerThreadsModule, module: WebAssembly.Module, memory: WebAssembly.Memory, private readonly count: number) {
    this.control = new Int32Array(new SharedArrayBuffer((HEADER + count * SLOT) * Int32Array.BYTES_PER_ELEMENT));
    for (let slot = 0; slot < count; slot++) {
      // No inherited flags: the helper is plain CommonJS, whatever loaders or input type the
      // process was started with.
      const worker = new threads.Worker(HELPER_SOURCE, { eval: true, workerData: { module, memory, control: this.control.buffer, slot }, execArgv: [] });
      // A helper that fails never becomes ready and is never asked to join: products still
      // come out right, on fewer threads, and the warning says why.
      worker.on('error', (error) => {
        console.warn(`simd backend: helper thread ${slot + 1} of ${count} stopped (${(error as Error)?.message ?? String(error)}); matrix products run on the other threads`);
      });
      worker.unref();
    }
  }

  /**
   * Runs `call` with its rows taken in chunks by this thread (through `gemm`, its own instance)
   * and by the helpers that are ready, and returns when all rows are done.
   */
  gemm(call: GemmCall, gemm: (...args: number[]) => void): void {
    const helpers = worthSharingCall(call) ? this.readySlots() : [];
    // About four chunks per thread: enough to even out a helper's late start, few enough
    // that each chunk still streams packed B from cache once.
    const chunk = Math.max(4, Math.ceil(call.m / (4 * (helpers.length + 1)) / 4) * 4);
    ARG_NAMES.forEach((name, i) => { this.control[i] = call[name]; });
    this.control[CHUNK_ROWS] = chunk;
    Atomics.store(this.control, NEXT_ROW, 0);
    const job = ++this.lastJob;
    for (const slot of helpers) {
      Atomics.store(this.control, HEADER + slot * SLOT + JOB, job);
      Atomics.notify(this.control, HEADER + slot * SLOT + JOB);
    }
    // Even when this thread's rows fail, the helpers must finish before the memory is reused.
    let failed = false;
    try {
      takeChunks(this.control, gemm, -1);
    } finally {
      for (const slot of helpers) {
        const at = HEADER + slot * SLOT + DONE;
        for (let done = Atomics.load(this.control, at); done !== job && done !== -job; done = Atomics.load(this.control, at)) {
          Atomics.wait(this.control, at, done);
        }
        failed ||= Atomics.load(this.control, at) === -job;
      }
    }
    if (failed) throw new Error('simd backend: a helper thread failed while computing its rows of a matrix product');
  }

  /** How many helpers are ready for work. */
  get ready(): number {
    return this.readySlots().length;
  }

  /** Rows of products the helpers have computed so far. */
  get rowsByHelpers(): number {
    let rows = 0;
    for (let slot = 0; slot < this.count; slot++) rows += Atomics.load(this.control, HEADER + slot * SLOT + ROWS);
    return rows;
  }

  /** The slots of the helpers that are ready for work. */
  private readySlots(): number[] {
    const slots: number[] = [];
    for (let slot = 0; slot < this.count; slot++) if (Atomics.load(this.control, HEADER + slot * SLOT + READY) === 1) slots.push(slot);
    return slots;
  }
}
