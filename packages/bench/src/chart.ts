/** The bar charts of a run as one Vega-Lite spec (rendered to latest.png by the examples package). */
import type { VegaLiteSpec } from '@perceptron/examples';
import { formatNumber } from './format.js';
import { ONNX_BACKEND } from './onnx-bench.js';
import { describeShape } from './ops-bench.js';
import { runtimeOf } from './report.js';
import type { BenchResults, ResultStack, TrainingResult } from './results.js';
import { MODELS, MODEL_NAMES } from './workloads.js';

interface Bar {
  label: string;
  stack: string;
  value: number;
  text: string;
  group?: string;
}

const STACK_LABELS: Record<ResultStack, string> = { perceptron: 'Perceptron', 'plain-js': 'plain JS loop', tfjs: 'TensorFlow.js', onnxruntime: 'onnxruntime' };
/** Shades per stack (blues for Perceptron, with purple for simd-1-thread beside simd; grey for the plain loop, oranges for TensorFlow.js), one per backend in order of appearance. */
const SHADES: Record<ResultStack, readonly string[]> = {
  perceptron: ['#c6dbef', '#6baed6', '#2171b5', '#6a51a3', '#08306b'],
  'plain-js': ['#969696'],
  tfjs: ['#fdae6b', '#e6550d', '#a63603'],
  onnxruntime: ['#31a354'],
};
const WIDTH = 520;

function labelOf(stack: ResultStack, backend: string): string {
  return `${STACK_LABELS[stack]} · ${backend}`;
}

function bar(stack: ResultStack, backend: string, value: number, group?: string): Bar {
  return { label: labelOf(stack, backend), stack: STACK_LABELS[stack], value, text: formatNumber(value), ...(group === undefined ? {} : { group }) };
}

/**
 * A training cell as a bar, or, when it did not run, an empty bar that says so and why: leaving
 * it out would read as "not part of the comparison" (the wide MLP on naive is skipped, not
 * absent; the plain loop has no LSTM).
 */
function trainingBar(row: TrainingResult): Bar {
  if (row.status === 'ok') return bar(row.stack, row.backend, row.epochSeconds.median);
  return { ...bar(row.stack, row.backend, 0), text: row.status === 'skipped' ? `skipped: ${row.reason}` : 'failed (see the table)' };
}

/** One colour per stack and backend, the same in every panel. */
function colorScale(results: BenchResults): { domain: string[]; range: string[] } {
  const domain: string[] = [];
  const range: string[] = [];
  const used: Record<string, number> = {};
  for (const s of [...results.subjects.filter((s) => s.available), { stack: 'onnxruntime' as const, backend: ONNX_BACKEND }]) {
    const label = labelOf(s.stack, s.backend);
    if (domain.includes(label)) continue;
    const shades = SHADES[s.stack];
    domain.push(label);
    range.push(shades[Math.min(used[s.stack] = (used[s.stack] ?? -1) + 1, shades.length - 1)]!);
  }
  return { domain, range };
}

function panel(title: string, axis: string, bars: Bar[], colors: object): object {
  const y = { field: 'label', type: 'nominal', title: null, sort: null, axis: { labelLimit: 260 } };
  return {
    title: { text: title, anchor: 'start', fontSize: 13 },
    width: WIDTH,
    height: { step: 18 },
    data: { values: bars },
    layer: [
      { mark: 'bar', encoding: { y, x: { field: 'value', type: 'quantitative', title: axis }, color: { field: 'label', type: 'nominal', scale: colors, legend: null } } },
      { mark: { type: 'text', align: 'left', dx: 3, fontSize: 10 }, encoding: { y, x: { field: 'value', type: 'quantitative' }, text: { field: 'text' } } },
    ],
  };
}

/** Grouped bars: one group per matMul shape, one bar per stack and backend. */
function groupedPanel(title: string, axis: string, bars: Bar[], colors: { domain: string[]; range: string[] }): object {
  // The legend lists only the bars drawn here (not onnxruntime's).
  const keep = colors.domain.map((label) => bars.some((b) => b.label === label));
  const scale = { domain: colors.domain.filter((_, i) => keep[i]), range: colors.range.filter((_, i) => keep[i]) };
  return {
    title: { text: title, anchor: 'start', fontSize: 13 },
    width: WIDTH,
    data: { values: bars },
    mark: 'bar',
    encoding: {
      y: { field: 'group', type: 'nominal', title: null, sort: null },
      yOffset: { field: 'label', sort: null },
      x: { field: 'value', type: 'quantitative', title: axis },
      color: { field: 'label', type: 'nominal', scale, legend: { title: null, orient: 'top', columns: 3, labelLimit: 260 } },
    },
  };
}

export function chartSpec(results: BenchResults): VegaLiteSpec {
  const colors = colorScale(results);
  const panels: object[] = [];
  for (const model of MODEL_NAMES) {
    const bars = results.training.filter((r) => r.model === model).map(trainingBar);
    const ran = results.training.find((r): r is Extract<TrainingResult, { status: 'ok' }> => r.model === model && r.status === 'ok');
    if (ran !== undefined) panels.push(panel(`Training ${MODELS[model].title}: seconds per epoch (${ran.steps} steps), lower is better`, 's/epoch', bars, colors));
  }
  for (const model of MODEL_NAMES) {
    const bars = results.predict.flatMap((r) => (r.model === model && r.status === 'ok' ? [bar(r.stack, r.backend, r.imagesPerSecond.median)] : []));
    if (bars.length > 0) panels.push(panel(`predict ${MODELS[model].title}: images per second, higher is better`, 'images/s', bars, colors));
  }
  const dispatch = results.dispatch.flatMap((r) => (r.status === 'ok' ? [bar(r.stack, r.backend, r.microsecondsPerOp.median)] : []));
  if (dispatch.length > 0) panels.push(panel('Op dispatch: µs per add of two [4] tensors, lower is better', 'µs/op', dispatch, colors));
  const matMul = results.matMul.flatMap((r) => (r.status === 'ok' ? [bar(r.stack, r.backend, r.gflops.median, describeShape(r))] : []));
  if (matMul.length > 0) panels.push(groupedPanel('matMul GFLOP/s, higher is better', 'GFLOP/s', matMul, colors));
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v5.json',
    title: { text: `Perceptron vs TensorFlow.js, ${results.startedAt.slice(0, 16).replace('T', ' ')} UTC`, subtitle: `${results.machine.cpuModel}, ${results.machine.cpus} CPUs, ${runtimeOf(results.machine)}; medians` },
    vconcat: panels,
    // Each panel gives its colour domain explicitly (same colour per bar label everywhere); only
    // the matMul panel has a legend, the others name each bar.
    resolve: { scale: { color: 'independent' }, legend: { color: 'independent' } },
    config: { view: { stroke: null } },
  } as VegaLiteSpec;
}
