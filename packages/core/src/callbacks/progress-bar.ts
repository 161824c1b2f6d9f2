import type { Logs } from './callback.js';
import { defaultWrite, stdoutIsTTY, type OutputOptions } from './output.js';
import { formatExponential, formatFixed } from './python-format.js';

export interface ProgressBarOptions extends OutputOptions {
  /** 0 silent, 1 a live bar, 2 one line when finished. Default 1. */
  verbose?: number;
  /** Cells in the bar. Default 20. */
  width?: number;
  /** Seconds between redraws; the final update always draws. Default 0.05. */
  interval?: number;
  /** Default 'step'. */
  unitName?: string;
  /** A clock in milliseconds. Default `performance.now`. */
  now?: () => number;
}

const BOLD = '1';
const GREEN = '32';
const GREY = '37';
const CELL = '━';

/**
 * Keras 3's progress bar (keras/src/utils/progbar.py), same text and timing rules:
 * `1719/1719 ━━━━━━━━━━━━━━━━━━━━ 4s 2ms/step - accuracy: 0.8776 - loss: 0.4319`.
 * Colours and in-place redraws only on a terminal; elsewhere each drawn update is one line.
 * Metric values are shown as given (fit passes running means), in first-seen order.
 */
export class ProgressBar {
  /** Steps in the run, or null while unknown (the counter then reads `N/Unknown`). */
  target: number | null;
  private readonly verbose: number;
  private readonly width: number;
  private readonly interval: number;
  private readonly unitName: string;
  private readonly clock: () => number;
  private readonly write: (text: string) => void;
  private readonly tty: boolean;
  private readonly values = new Map<string, number>();
  private readonly start: number;
  private lastUpdate = -Infinity;
  private timeAfterFirstStep: number | null = null;
  private previousWidth = 0;

  constructor(target: number | null, options: ProgressBarOptions = {}) {
    this.target = target;
    this.verbose = options.verbose ?? 1;
    this.width = options.width ?? 20;
    this.interval = options.interval ?? 0.05;
    this.unitName = options.unitName ?? 'step';
    const now = options.now ?? (() => performance.now());
    this.clock = () => now() / 1000;
    this.write = options.write ?? defaultWrite;
    this.tty = options.isTTY ?? stdoutIsTTY();
    this.start = this.clock();
  }

  /**
   * Shows progress after step `current` (1-based) with the latest metric values. `finalize`
   * (default: `current >= target`) ends the line and is never throttled.
   */
  update(current: number, values: Logs = {}, finalize = this.target !== null && current >= this.target): void {
    for (const [name, value] of Object.entries(values)) this.values.set(name, value);
    const now = this.clock();
    const timePerUnit = this.estimateStepDuration(current, now);
    const known = this.target !== null && this.target > 0;
    if (this.verbose === 1) {
      if (now - this.lastUpdate < this.interval && !finalize) return;
      const style = (text: string, code: string): string => (this.tty ? `\x1b[${code}m${text}\x1b[0m` : text);
      let line = '';
      let visible = 0;
      const add = (text: string, code?: string): void => {
        line += code === undefined ? text : style(text, code);
        visible += text.length;
      };
      if (known) {
        const target = this.target!;
        add(this.counter(current, target), BOLD);
        add(' ');
        const filled = Math.trunc(this.width * (current / target));
        if (filled > 0) add(CELL.repeat(filled), GREEN);
        add(CELL.repeat(Math.max(0, this.width - filled)), GREY);
        add(' ');
        add(finalize ? `${formatFixed(now - this.start, 0)}s` : formatEta(timePerUnit * (target - current)), BOLD);
      } else {
        add(`${String(current).padStart(7)}/Unknown `);
        add(`${formatFixed(now - this.start, 0)}s`, BOLD);
      }
      add(` ${this.formatTime(timePerUnit)}${this.metricsText()}`);
      const padding = this.tty ? ' '.repeat(Math.max(0, this.previousWidth - visible)) : '';
      const prefix = this.tty ? `${'\b'.repeat(this.previousWidth)}\r` : '';
      const end = finalize || !this.tty ? '\n' : '';
      this.write(prefix + line + padding + end);
      this.previousWidth = visible;
    } else if (this.verbose === 2 && finalize && known) {
      const elapsed = formatFixed(now - this.start, 0);
      this.write(`${this.counter(current, this.target!)} - ${elapsed}s - ${this.formatTime(timePerUnit)}${this.metricsText()}\n`);
    }
    this.lastUpdate = now;
  }

  /** `' 937/1719'`: the step count right-aligned to the target's width. */
  private counter(current: number, target: number): string {
    return `${String(current).padStart(String(Math.trunc(target)).length)}/${target}`;
  }

  private metricsText(): string {
    let text = '';
    for (const [name, value] of this.values) text += ` - ${name}: ${formatMetric(value)}`;
    return text;
  }

  /** `2ms/step`: seconds when ≥ 1 s (or exactly 0), else milliseconds, else microseconds. */
  private formatTime(seconds: number): string {
    if (seconds >= 1 || seconds === 0) return `${formatFixed(seconds, 0)}s/${this.unitName}`;
    if (seconds >= 1e-3) return `${formatFixed(seconds * 1000, 0)}ms/${this.unitName}`;
    return `${formatFixed(seconds * 1e6, 0)}us/${this.unitName}`;
  }

  /**
   * Seconds per step, leaving out the first step (it carries warm-up work) once there are others:
   * `(now − t_after_step_1) / (current − 1)`.
   */
  private estimateStepDuration(current: number, now: number): number {
    if (!current) return 0;
    const perUnit = this.timeAfterFirstStep !== null && current > 1
      ? (now - this.timeAfterFirstStep) / (current - 1)
      : (now - this.start) / current;
    if (current === 1) this.timeAfterFirstStep = now;
    return perUnit;
  }
}

/** `%.4f` when |v| > 1e-3, else `%.4e` with a two-digit exponent (`3.8914e-04`). */
export function formatMetric(value: number): string {
  return Math.abs(value) > 1e-3 ? formatFixed(value, 4) : formatExponential(value, 4);
}

/** Remaining time: `%ds` up to a minute, `m:ss` up to an hour, then `h:mm:ss`. */
function formatEta(seconds: number): string {
  const two = (n: number): string => String(Math.trunc(n)).padStart(2, '0');
  if (seconds > 3600) return `${Math.floor(seconds / 3600)}:${two(Math.floor((seconds % 3600) / 60))}:${two(seconds % 60)}`;
  if (seconds > 60) return `${Math.floor(seconds / 60)}:${two(seconds % 60)}`;
  return `${Math.trunc(seconds)}s`;
}
