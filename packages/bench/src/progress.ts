/** Progress lines on stderr, so stdout carries only the table. Each line starts with the time since the run began. */
import { backgroundInterval } from './background-timer.js';

const started = performance.now();

function clock(): string {
  const seconds = Math.round((performance.now() - started) / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

export type Log = (line: string) => void;

export const stderrLog: Log = (line) => process.stderr.write(`[bench ${clock()}] ${line}\n`);

/** How often a long epoch reports that it is still running. */
const HEARTBEAT_MS = 30_000;

/**
 * Says "still running" during long workloads: from a timer (when the workload yields to the event
 * loop) and from `tick()` (for loops that never yield).
 */
export class Heartbeat {
  #last = performance.now();
  readonly #stopTimer: () => void;

  constructor(private readonly log: Log, private readonly describe: () => string) {
    this.#stopTimer = backgroundInterval(() => this.tick(), HEARTBEAT_MS);
  }

  tick(): void {
    const now = performance.now();
    if (now - this.#last < HEARTBEAT_MS) return;
    this.#last = now;
    this.log(this.describe());
  }

  stop(): void {
    this.#stopTimer();
  }
}
