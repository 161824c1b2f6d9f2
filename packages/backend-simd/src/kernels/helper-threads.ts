/** The kernels helper threads run: those whose work splits into calls that write apart. */
export const SHAREABLE_KERNELS = ['gemm', 'conv2d', 'depthwiseConv2d', 'pool2d', 'binary', 'sigmoidTanh'] as const;
export type ShareableKernel = (typeof SHAREABLE_KERNELS)[number];

/** One call of a kernel: its arguments, each an i32. */
export type Task = readonly number[];

/** Tasks per thread a job is split into: enough to even out a helper's late start or a busy core, few enough that each stays worth a call. */
export const TASKS_PER_THREAD = 4;

/** The most tasks a job may have (the control array holds their arguments). */
export const MAX_TASKS = 256;

/**
 * 0..total as at most `parts` runs of consecutive items, [first, count] each, every run but the
 * last a multiple of `multiple` long: how a job's rows or images become its tasks.
 */
export function runsOf(total: number, parts: number, multiple = 1): [first: number, count: number][] {
  const length = Math.max(multiple, Math.ceil(Math.ceil(total / parts) / multiple) * multiple);
  const runs: [number, number][] = [];
  for (let first = 0; first < total; first += length) runs.push([first, Math.min(length, total - first)]);
  return runs;
}

/** What a helper is given: the kernels' module, the shared memory and control array, its slot, where the tasks' arguments begin. */
export interface HelperData {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  control: SharedArrayBuffer;
  slot: number;
  tasksAt: number;
}

/** Where helper threads come from (helper-hosts.ts): Node's worker threads, or a page's Web Workers. */
export interface HelperHost {
  /** Starts a helper running HELPER_MAIN on `data`; `onError` hears why, if it stops. Returns what ends the helper. */
  start(data: HelperData, onError: (error: unknown) => void): () => void;
  /** Whether the calling thread may block in Atomics.wait; a page's main thread may not, so it spins. */
  readonly canBlock: boolean;
  /**
   * Whether a helper starts only once this thread's event loop turns, as a page's Web Worker
   * does: a training loop that awaits only promises never lets it, so such helpers are started,
   * and waited for, when the kernels are created rather than on their first job.
   */
  readonly startsOnEventLoop: boolean;
}

// The control array: the job being run (which kernel, how many tasks, the next task not yet
// claimed, how many are finished, whether one failed), SLOT int32s per helper (the number of
// the job it is woken for, whether it is ready, how many tasks it has run in all), then the
// tasks' arguments, MAX_ARGUMENTS int32s each.
const KERNEL = 0;
const TASK_COUNT = 1;
const CLAIM = 2;
const FINISHED = 3;
const FAILED = 4;
const HEADER = 5;
const SLOT = 3;
const JOB = 0;
const READY = 1;
const TASKS_RUN = 2;
/** The most arguments a shareable kernel takes (conv2d's). */
const MAX_ARGUMENTS = 20;
/** CLAIM while the caller writes a job: no task number reaches it, so nothing is claimed. */
const CLOSED = 0x7fffffff;

/**
 * Every thread, the caller included, claims tasks until none is left and runs each with its
 * kernel (`kernels` in SHAREABLE_KERNELS order, from its own instance), then counts it
 * finished. A claim is a compare-and-swap of the next task's number, so a thread woken late
 * (the job done, or a later one posted) claims nothing or a task of the job posted now, whose
 * kernel and arguments stay put until all its tasks are finished. Returns the first error a
 * task threw (and flags it for the caller), after running the other tasks it claims. Plain
 * JavaScript, written once here and run by the caller and, as text, by the helpers; a helper
 * counts its tasks at `countAt` (the caller passes −1).
 */
function takeTasks(flags: Int32Array, kernels: readonly ((...args: number[]) => void)[], tasksAt: number, countAt: number): unknown {
  let failure: unknown = null;
  for (;;) {
    const task = Atomics.load(flags, CLAIM);
    if (task >= Atomics.load(flags, TASK_COUNT)) return failure;
    if (Atomics.compareExchange(flags, CLAIM, task, task + 1) !== task) continue;
    // The count read above may have been another job's: this one's is settled now.
    if (task >= flags[TASK_COUNT]!) return failure;
    const kernel = kernels[flags[KERNEL]!]!;
    const at = tasksAt + task * MAX_ARGUMENTS;
    try {
      kernel(...flags.subarray(at, at + kernel.length));
    } catch (error) {
      failure ??= error;
      Atomics.store(flags, FAILED, 1);
    }
    if (countAt >= 0) Atomics.add(flags, countAt, 1);
    Atomics.add(flags, FINISHED, 1);
    Atomics.notify(flags, FINISHED);
  }
}

/**
 * The helper's program, a function of its HelperData as plain JavaScript text (each host wraps
 * it in a script, so it works the same from sources and from the build): its own instance of
 * the kernels over the shared memory, then forever: sleep until woken for a job, take tasks.
 */
export const HELPER_MAIN = `({ module, memory, control, slot, tasksAt }) => {
  const flags = new Int32Array(control);
  const at = ${HEADER} + slot * ${SLOT};
  const exports = new WebAssembly.Instance(module, { env: { memory } }).exports;
  const kernels = ${JSON.stringify(SHAREABLE_KERNELS)}.map((name) => exports[name]);
  const KERNEL = ${KERNEL}, TASK_COUNT = ${TASK_COUNT}, CLAIM = ${CLAIM}, FINISHED = ${FINISHED}, FAILED = ${FAILED}, MAX_ARGUMENTS = ${MAX_ARGUMENTS};
  const takeTasks = ${takeTasks.toString()};
  Atomics.store(flags, at + ${READY}, 1);
  let job = 0;
  for (;;) {
    Atomics.wait(flags, at + ${JOB}, job);
    job = Atomics.load(flags, at + ${JOB});
    takeTasks(flags, kernels, tasksAt, at + ${TASKS_RUN});
  }
}`;

/**
 * Worker threads that run the tasks of large kernels beside the calling thread, each in its
 * own instance of the kernels over the same shared memory. A job's tasks write apart, and each
 * computes what it would alone, so a shared job's results equal a single-threaded one's bit
 * for bit. The calling thread blocks (Atomics.wait) until every task is finished, as a
 * synchronous kernel must; helpers sleep between jobs and do not keep the process alive. They
 * start in the background: jobs run on one thread until a helper is ready.
 */
export class HelperThreads {
  private readonly control: Int32Array;
  private readonly tasksAt: number;
  private lastJob = 0;
  /** What ends each helper, by slot. */
  private readonly stops: (() => void)[];

  /** `kernels` are the calling thread's own, in SHAREABLE_KERNELS order. */
  constructor(
    private readonly host: HelperHost, module: WebAssembly.Module, memory: WebAssembly.Memory, private readonly count: number,
    private readonly kernels: readonly ((...args: number[]) => void)[],
  ) {
    this.tasksAt = HEADER + count * SLOT;
    this.control = new Int32Array(new SharedArrayBuffer((this.tasksAt + MAX_TASKS * MAX_ARGUMENTS) * Int32Array.BYTES_PER_ELEMENT));
    // A helper that fails never becomes ready and is never asked to join: kernels still come
    // out right, on fewer threads, and the warning says why.
    this.stops = Array.from({ length: count }, (_, slot) =>
      host.start({ module, memory, control: this.control.buffer as SharedArrayBuffer, slot, tasksAt: this.tasksAt }, (error) => {
        console.warn(`simd backend: helper thread ${slot + 1} of ${count} stopped (${(error as Error)?.message ?? String(error)}); kernels run on the other threads`);
      }));
  }

  /** Ends every helper. Call it between jobs; later jobs run on the calling thread alone. */
  terminate(): void {
    for (let slot = 0; slot < this.count; slot++) {
      Atomics.store(this.control, HEADER + slot * SLOT + READY, 0);
      this.stops[slot]!();
    }
  }

  /**
   * Runs `kernel` once per task, the tasks claimed by this thread and the helpers that wake in
   * time, and returns when all are finished. It waits only for tasks a helper has claimed, not
   * for helpers to wake: on a busy machine a sleeping helper may get its core late.
   */
  run(kernel: ShareableKernel, tasks: readonly Task[]): void {
    if (tasks.length > MAX_TASKS) throw new RangeError(`simd backend: a job of ${tasks.length} tasks, more than the ${MAX_TASKS} the helper threads take`);
    const { control } = this;
    Atomics.store(control, CLAIM, CLOSED);
    control[KERNEL] = SHAREABLE_KERNELS.indexOf(kernel);
    control[TASK_COUNT] = tasks.length;
    tasks.forEach((args, i) => control.set(args, this.tasksAt + i * MAX_ARGUMENTS));
    Atomics.store(control, FINISHED, 0);
    Atomics.store(control, FAILED, 0);
    // Publishes the job: a thread that reads this sees everything written above.
    Atomics.store(control, CLAIM, 0);
    const job = ++this.lastJob;
    for (const slot of this.readySlots()) {
      Atomics.store(control, HEADER + slot * SLOT + JOB, job);
      Atomics.notify(control, HEADER + slot * SLOT + JOB);
    }
    const failure = takeTasks(control, this.kernels, this.tasksAt, -1);
    // Even when this thread's tasks failed, the helpers' must finish before the memory is reused.
    // Only tasks a helper has claimed are waited for, so a thread that may not block spins briefly.
    for (let finished = Atomics.load(control, FINISHED); finished < tasks.length; finished = Atomics.load(control, FINISHED)) {
      if (this.host.canBlock) Atomics.wait(control, FINISHED, finished);
    }
    if (failure !== null) throw failure;
    if (Atomics.load(control, FAILED) === 1) throw new Error(`simd backend: a helper thread failed while running its share of the ${kernel} kernel`);
  }

  /** How many helpers are ready for work. */
  get ready(): number {
    return this.readySlots().length;
  }

  /** Tasks the helpers have run so far. */
  get tasksByHelpers(): number {
    let tasks = 0;
    for (let slot = 0; slot < this.count; slot++) tasks += Atomics.load(this.control, HEADER + slot * SLOT + TASKS_RUN);
    return tasks;
  }

  /** The slots of the helpers that are ready for work. */
  private readySlots(): number[] {
    const slots: number[] = [];
    for (let slot = 0; slot < this.count; slot++) if (Atomics.load(this.control, HEADER + slot * SLOT + READY) === 1) slots.push(slot);
    return slots;
  }
}
