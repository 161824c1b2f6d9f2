import { HELPER_MAIN, type HelperHost } from './helper-threads.js';

/** The parts of `node:worker_threads` used here (so that this file needs no Node types at run time). */
export interface WorkerThreadsModule {
  Worker: new (source: string, options: { eval: true; workerData: unknown; execArgv: string[] }) => {
    unref(): void;
    on(event: 'error', listener: (error: unknown) => void): void;
    terminate(): Promise<number>;
  };
}

/** Helpers as Node worker threads, which do not keep the process alive. */
export function nodeHelperHost(threads: WorkerThreadsModule): HelperHost {
  // No inherited flags: the helper is plain CommonJS, whatever loaders or input type the process was started with.
  const source = `const { workerData } = require('node:worker_threads');\n(${HELPER_MAIN})(workerData);`;
  return {
    canBlock: true,
    startsOnEventLoop: false,
    start(data, onError) {
      const worker = new threads.Worker(source, { eval: true, workerData: data, execArgv: [] });
      worker.on('error', onError);
      worker.unref();
      return () => void worker.terminate();
    },
  };
}

/**
 * Helpers as a page's Web Workers, from a script made here, each given its data in a message.
 * Sharing the memory with them needs a cross-origin isolated page (served with
 * Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp).
 */
export function browserHelperHost(): HelperHost {
  return {
    canBlock: mayBlock(),
    startsOnEventLoop: true,
    start(data, onError) {
      const worker = new Worker(helperScript());
      worker.onerror = (event) => onError(new Error(event.message));
      worker.postMessage(data);
      return () => worker.terminate();
    },
  };
}

let helperScriptUrl: string | null = null;

/** The helpers' script, made once per page. */
function helperScript(): string {
  helperScriptUrl ??= URL.createObjectURL(new Blob([`self.onmessage = (event) => (${HELPER_MAIN})(event.data);`], { type: 'text/javascript' }));
  return helperScriptUrl;
}

/** Whether this thread may wait in Atomics.wait: a page's main thread may not (it throws there). */
function mayBlock(): boolean {
  try {
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
    return true;
  } catch {
    return false;
  }
}
