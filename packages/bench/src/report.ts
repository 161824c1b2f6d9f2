/** The markdown report printed at the end of a run (and saved as latest.md). */
import { formatNumber, formatRatio, markdownTable } from './format.js';
import { describeShape } from './ops-bench.js';
import type { BenchResults, Machine, MatMulResult, PredictResult, ResultStack, TrainingResult } from './results.js';
import { PLAIN_BACKEND } from './plain-js-driver.js';
import type { Summary } from './stats.js';
import { MODELS, MODEL_NAMES, PREDICT_BATCH, type ModelName } from './workloads.js';

/** The tfjs backend every Perceptron row is also compared with: issue 7's headline comparison. */
export const HEADLINE_BACKEND = 'tfjs-wasm';

interface Cell {
  stack: ResultStack;
  backend: string;
  status: string;
}

type Ok<T> = Extract<T, { status: 'ok' }>;

type TfjsPart = 'tfjs-layers' | 'tfjs-core';

const PLAIN_NAME = 'plain JS loop';

function stackName(stack: ResultStack, tfjsPart: TfjsPart): string {
  switch (stack) {
    case 'perceptron': return 'Perceptron';
    case 'plain-js': return PLAIN_NAME;
    case 'tfjs': return tfjsPart;
    case 'onnxruntime': return 'onnxruntime-node';
  }
}

function ok<T extends Cell>(cell: T | undefined): Ok<T> | undefined {
  return cell?.status === 'ok' ? cell as Ok<T> : undefined;
}

/** How many times better ours is than theirs: theirs/ours for times, ours/theirs for rates. */
export function advantage(ours: number | undefined, theirs: number | undefined, kind: 'time' | 'rate'): number | null {
  if (ours === undefined || theirs === undefined || ours <= 0 || theirs <= 0) return null;
  return kind === 'time' ? theirs / ours : ours / theirs;
}

function spread(summary: Summary): string {
  return `${formatNumber(summary.min)}–${formatNumber(summary.max)}`;
}

/** Cells that did not run show only their status; the reasons follow the table (they are long). */
function missingNotes(rows: readonly (Cell & { reason?: string; model?: string })[], tfjsPart: TfjsPart): string {
  const lines = rows.filter((r) => r.status !== 'ok').map((r) => `- ${r.model === undefined ? '' : `${r.model}, `}${stackName(r.stack, tfjsPart)} ${r.backend}: ${r.status}: ${r.reason ?? ''}`);
  return lines.length === 0 ? '' : `\n\n${lines.join('\n')}`;
}

/** Whether a table has the plain loop's column: only when the loop ran in it. */
function plainRan(rows: readonly Cell[]): boolean {
  return rows.some((r) => r.stack === 'plain-js' && r.status === 'ok');
}

/** The ratio columns of a table: against tfjs on the same backend, against tfjs-wasm, and against the plain loop when it ran. */
function ratioHeader(tfjsPart: TfjsPart, rows: readonly Cell[]): string[] {
  const plain = plainRan(rows) ? [`× vs ${PLAIN_NAME}`] : [];
  return [`× vs ${tfjsPart} same backend`, `× vs ${tfjsPart} ${HEADLINE_BACKEND}`, ...plain];
}

/**
 * The ratio cells of `row`, matching ratioHeader(…, rows): filled for Perceptron rows, and for
 * onnxruntime against tfjs-wasm and the plain loop (it is the serving alternative; it has no tfjs
 * backend of its own); blank for the reference rows. `cells` are the rows it may be compared with.
 */
function ratios<T extends Cell>(row: T, rows: readonly T[], cells: readonly T[], value: (cell: Ok<T>) => number, kind: 'time' | 'rate'): string[] {
  const ours = row.stack === 'perceptron' || row.stack === 'onnxruntime' ? mapOk(row, value) : undefined;
  const against = (stack: ResultStack, backend: string): string =>
    ours === undefined ? '' : formatRatio(advantage(ours, mapOk(cells.find((c) => c.stack === stack && c.backend === backend), value), kind));
  return [
    row.stack === 'perceptron' ? against('tfjs', row.backend) : '',
    against('tfjs', HEADLINE_BACKEND),
    ...(plainRan(rows) ? [against('plain-js', PLAIN_BACKEND)] : []),
  ];
}

/** A row of a cell that did not run: its name, its status, blanks to the header's width. */
function statusRow(name: readonly string[], status: string, header: readonly string[]): string[] {
  return [...name, status, ...header.slice(name.length + 1).map(() => '')];
}

function mapOk<T extends Cell>(cell: T | undefined, value: (cell: Ok<T>) => number): number | undefined {
  const good = ok(cell);
  return good ? value(good) : undefined;
}

function trainingTable(model: ModelName, rows: readonly TrainingResult[]): string {
  const spec = MODELS[model];
  const first = rows.map(ok).find((r) => r !== undefined);
  const steps = first ? `${first.steps.toLocaleString('en-US')} steps per epoch (${first.images.toLocaleString('en-US')} images)` : 'no cell ran';
  const header = ['stack', 'backend', 's/epoch', 'ms/step', 'min–max s', 'n', 'warm-up s', 'loss', 'acc.', 'peak RSS MB', 'peak heap MB', ...ratioHeader('tfjs-layers', rows)];
  const body = rows.map((row) => {
    const name = [stackName(row.stack, 'tfjs-layers'), row.backend];
    if (row.status !== 'ok') return statusRow(name, row.status, header);
    return [
      ...name,
      formatNumber(row.epochSeconds.median), formatNumber(row.msPerStep.median), spread(row.epochSeconds), String(row.epochSeconds.n),
      formatNumber(row.warmupSeconds), row.finalLoss.toFixed(3), row.finalAccuracy.toFixed(3),
      formatNumber(row.memory.rssPeakMB), formatNumber(row.memory.heapUsedPeakMB),
      ...ratios(row, rows, rows, (r) => r.epochSeconds.median, 'time'),
    ];
  });
  return `### Training: ${spec.title}, batch ${spec.batchSize}, Adam ${spec.learningRate}: ${steps}\n\n${markdownTable(header, body, header.map((_, i) => (i < 2 ? 'left' : 'right')))}${missingNotes(rows, 'tfjs-layers')}`;
}

function predictTable(rows: readonly PredictResult[]): string {
  const first = rows.map(ok).find((r) => r !== undefined);
  const header = ['model', 'stack', 'backend', 'images/s', 'min–max', 'n', 'peak RSS MB', ...ratioHeader('tfjs-layers', rows)];
  const body = rows.map((row) => {
    const name = [row.model, stackName(row.stack, 'tfjs-layers'), row.backend];
    if (row.status !== 'ok') return statusRow(name, row.status, header);
    const sameModel = rows.filter((r) => r.model === row.model);
    return [
      ...name, formatNumber(row.imagesPerSecond.median), spread(row.imagesPerSecond), String(row.imagesPerSecond.n), formatNumber(row.memory.rssPeakMB),
      ...ratios(row, rows, sameModel, (r) => r.imagesPerSecond.median, 'rate'),
    ];
  });
  const title = `### predict: ${first ? `${first.images.toLocaleString('en-US')} test images, batch ${first.batchSize}` : `batch ${PREDICT_BATCH}`}, output read back`;
  return `${title}\n\n${markdownTable(header, body, header.map((_, i) => (i < 3 ? 'left' : 'right')))}${missingNotes(rows, 'tfjs-layers')}`;
}

function dispatchTable(results: BenchResults): string {
  const rows = results.dispatch;
  const header = ['stack', 'backend', 'µs per add', 'min–max', 'n', 'calls/sample', ...ratioHeader('tfjs-core', rows)];
  const body = rows.map((row) => {
    const name = [stackName(row.stack, 'tfjs-core'), row.backend];
    if (row.status !== 'ok') return statusRow(name, row.status, header);
    return [...name, formatNumber(row.microsecondsPerOp.median), spread(row.microsecondsPerOp), String(row.microsecondsPerOp.n), String(row.callsPerSample), ...ratios(row, rows, rows, (r) => r.microsecondsPerOp.median, 'time')];
  });
  return `### Op dispatch: add of two [4] float32 tensors\n\n${markdownTable(header, body, header.map((_, i) => (i < 2 ? 'left' : 'right')))}${missingNotes(rows, 'tfjs-core')}`;
}

function sameShape(a: MatMulResult, b: MatMulResult): boolean {
  return a.m === b.m && a.k === b.k && a.n === b.n && a.transposeA === b.transposeA && a.transposeB === b.transposeB;
}

function matMulTable(results: BenchResults): string {
  const rows = results.matMul;
  const subjects = results.subjects.filter((s) => s.available && rows.some((r) => r.stack === s.stack && r.backend === s.backend));
  const paired = subjects.filter((s) => s.stack === 'perceptron' && subjects.some((t) => t.stack === 'tfjs' && t.backend === s.backend));
  const shapes = rows.filter((r, i) => rows.findIndex((q) => sameShape(q, r)) === i);
  const header = [
    'm×k×n', ...subjects.map((s) => `${stackName(s.stack, 'tfjs-core')} ${s.backend}`),
    ...paired.map((s) => `× ${s.backend} (Perceptron ÷ tfjs-core)`),
  ];
  const gflops = (shape: MatMulResult, stack: ResultStack, backend: string): number | undefined =>
    mapOk(rows.find((r) => sameShape(r, shape) && r.stack === stack && r.backend === backend), (r) => r.gflops.median);
  const body = shapes.map((shape) => [
    describeShape(shape),
    ...subjects.map((s) => {
      const value = gflops(shape, s.stack, s.backend);
      return value === undefined ? (rows.find((r) => sameShape(r, shape) && r.stack === s.stack && r.backend === s.backend)?.status ?? '') : formatNumber(value);
    }),
    ...paired.map((s) => formatRatio(advantage(gflops(shape, 'perceptron', s.backend), gflops(shape, 'tfjs', s.backend), 'rate'))),
  ]);
  const n = rows.map(ok).find((r) => r !== undefined)?.gflops.n;
  const failed = rows.filter((r) => r.status !== 'ok').map((r) => ({ ...r, backend: `${r.backend} ${describeShape(r)}` }));
  return `### matMul GFLOP/s (median of ${n ?? '?'} samples; aᵀ / bᵀ: that operand stored transposed)\n\n${markdownTable(header, body, header.map((_, i) => (i === 0 ? 'left' : 'right')))}${missingNotes(failed, 'tfjs-core')}`;
}

/** Where the cells ran: Node, or the browser page that Node drove. */
export function runtimeOf(machine: Machine): string {
  return machine.browser ? `${machine.browser.name}, driven from Node ${machine.node}` : `Node ${machine.node}`;
}

export function formatReport(results: BenchResults): string {
  const m = results.machine;
  const sections = [
    `## Perceptron vs TensorFlow.js — ${results.startedAt.slice(0, 19).replace('T', ' ')} UTC`,
    `Machine: ${m.cpuModel}, ${m.cpus} CPUs, ${m.totalMemoryGB} GB, ${runtimeOf(m)} (${m.platform}/${m.arch})${m.browser ? `; WebGL: ${m.browser.webglRenderer}` : ''}; load average ${m.loadAverageStart.toFixed(2)} at start, ${m.loadAverageEnd.toFixed(2)} at end; run took ${formatNumber(results.durationSeconds / 60)} min.`,
    `× columns: how many times faster Perceptron is (above 1: Perceptron wins) than tfjs on the same backend, tfjs on ${HEADLINE_BACKEND}, and (when it ran) the ${PLAIN_NAME} that issue 7 measures the naive backend against.`,
  ];
  for (const model of MODEL_NAMES) {
    const rows = results.training.filter((r) => r.model === model);
    if (rows.length > 0) sections.push(trainingTable(model, rows));
  }
  if (results.predict.length > 0) sections.push(predictTable(results.predict));
  if (results.dispatch.length > 0) sections.push(dispatchTable(results));
  if (results.matMul.length > 0) sections.push(matMulTable(results));
  const unavailable = results.subjects.filter((s) => !s.available);
  if (unavailable.length > 0) sections.push(`Not available here: ${unavailable.map((s) => `${s.stack}/${s.backend} (${s.reason})`).join('; ')}.`);
  sections.push(results.notes.map((note) => `- ${note}`).join('\n'));
  return `${sections.join('\n\n')}\n`;
}
