import { dispose } from '../engine/memory.js';
import type { Layer } from '../layers/layer.js';
import { classNameOf, type LayerClass } from '../layers/registry.js';
import { formatShapeOrList } from '../layers/symbolic-shape.js';
import type { Tensor } from '../tensor/tensor.js';
import { bytesPerElement } from '../util/dtype.js';
import { sizeOf } from '../util/shape.js';
import type { Model } from './model.js';

export interface SummaryOptions {
  /**
   * Total width. Default 76, what Keras 3 prints in an 80-column terminal or a log; 100 for a
   * graph's table with its "Connected to" column, whose cells (`top_features[0][0]`) would
   * otherwise break inside names (Keras widens it too).
   */
  lineLength?: number;
  /**
   * Right edges of the columns as fractions of the width. Default [0.45, 0.80, 1], or
   * [0.3, 0.56, 0.74, 1] when a graph's table has a fourth column, "Connected to".
   */
  positions?: readonly number[];
}

/** What a functional model's table shows beyond a stack's. */
export interface GraphRows {
  /** The rows, InputLayers included. */
  layers: readonly Layer[];
  /** The "Connected to" cell of a layer, or null for a graph that is a plain chain (as Keras drops the column then). */
  connections: ((layer: Layer) => string) | null;
}

const HEADER = ['Layer (type)', 'Output Shape', 'Param #', 'Connected to'] as const;
const RIGHT_ALIGNED = [false, false, true, false] as const;

/** Keras 3's `model.summary()`: the rich table it prints when captured (no colours). */
export function printSummary(model: Model, printFn: (line: string) => void, options: SummaryOptions, graph?: GraphRows): void {
  const connections = graph?.connections ?? null;
  const lineLength = options.lineLength ?? (connections ? 100 : 76);
  const columns = connections ? 4 : 3;
  if (options.positions && options.positions.length !== columns) {
    throw new Error(`summary: expected ${columns} positions, one per column, got ${JSON.stringify(options.positions)}`);
  }
  const widths = columnWidths(lineLength, options.positions ?? (connections ? [0.3, 0.56, 0.74, 1] : [0.45, 0.8, 1]));
  const rule = (left: string, fill: string, middle: string, right: string): string =>
    left + widths.map((w) => fill.repeat(w)).join(middle) + right;
  const rows = (cells: readonly string[], edge: string): string[] => {
    const wrapped = cells.map((cell, i) => wrap(cell, widths[i]! - 2));
    const height = Math.max(...wrapped.map((lines) => lines.length));
    return Array.from({ length: height }, (_, r) => edge + wrapped.map((lines, i) => {
      const text = lines[r] ?? '';
      const pad = ' '.repeat(widths[i]! - 2 - text.length);
      return ` ${RIGHT_ALIGNED[i] ? pad + text : text + pad} `;
    }).join(edge) + edge);
  };

  printFn(`Model: "${model.name}"`);
  printFn(rule('┏', '━', '┳', '┓'));
  rows(HEADER.slice(0, widths.length), '┃').forEach((line) => printFn(line));
  printFn(rule('┡', '━', '╇', '┩'));
  const layers = graph?.layers ?? model.layers.filter((layer) => classNameOf(layer.constructor as LayerClass) !== 'InputLayer');
  layers.forEach((layer, i) => {
    if (i > 0) printFn(rule('├', '─', '┼', '┤'));
    rows([...layerFields(layer), ...(connections ? [connections(layer)] : [])], '│').forEach((line) => printFn(line));
  });
  printFn(rule('└', '─', '┴', '┘'));

  const trainable = model.trainableWeights;
  const nonTrainable = model.nonTrainableWeights;
  const optimizerWeights = optimizerState(model);
  const count = (ws: readonly Tensor[]): number => ws.reduce((n, w) => n + sizeOf(w.shape), 0);
  const bytes = (ws: readonly Tensor[]): number => ws.reduce((n, w) => n + sizeOf(w.shape) * bytesPerElement(w.dtype), 0);
  const line = (label: string, ws: readonly Tensor[][]): string =>
    ` ${label}: ${group(ws.reduce((n, w) => n + count(w), 0))} (${readableSize(ws.reduce((n, w) => n + bytes(w), 0))})`;
  printFn(line('Total params', [trainable, nonTrainable, optimizerWeights]));
  printFn(line('Trainable params', [trainable]));
  printFn(line('Non-trainable params', [nonTrainable]));
  if (optimizerWeights.length > 0) printFn(line('Optimizer params', [optimizerWeights]));
  dispose(optimizerWeights);
}

function layerFields(layer: Layer): string[] {
  const name = `${layer.name} (${classNameOf(layer.constructor as LayerClass)})`;
  if (!layer.built) return [name, '?', '0 (unbuilt)'];
  let shape = '?';
  try {
    shape = formatShapeOrList(layer.outputShape);
  } catch {
    // A layer that cannot tell its output shape yet is shown with '?', as Keras does.
  }
  return [name, shape, group(layer.countParams())];
}

/** The optimizer's state once it has run (Keras lists it only when the optimizer is built). */
function optimizerState(model: Model): Tensor[] {
  const optimizer = model.optimizer;
  return optimizer?.hasState ? optimizer.getWeights() : [];
}

/**
 * Column widths, borders excluded, as rich lays out Keras's table: each column gets
 * int(position · width) − previous, then the overflow (padding and borders) is taken back evenly.
 */
function columnWidths(lineLength: number, positions: readonly number[]): number[] {
  let current = 0;
  const widths = positions.map((p) => {
    const w = Math.floor(p * lineLength) - current;
    current += w;
    return w + 2;
  });
  let excess = widths.reduce((a, b) => a + b, 0) - (lineLength - (positions.length + 1));
  if (excess <= 0) return widths;
  let remaining = widths.length;
  return widths.map((w) => {
    const taken = Math.min(w, roundHalfEven(excess / remaining));
    excess -= taken;
    remaining--;
    return w - taken;
  });
}

function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Word-wraps `text` to `width` columns, folding words longer than a line. */
function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const candidate = line ? `${line} ${word}` : word;
    if (candidate.length <= width) {
      line = candidate;
      continue;
    }
    if (line) lines.push(line);
    let rest = word;
    while (rest.length > width) {
      lines.push(rest.slice(0, width));
      rest = rest.slice(width);
    }
    line = rest;
  }
  lines.push(line);
  return lines;
}

/** 50240 -> '50,240'. */
function group(n: number): string {
  return n.toLocaleString('en-US');
}

/** Keras's readable_memory_size: '198.79 KB', '0.00 B'. */
function readableSize(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let size = bytes;
  for (const unit of units) {
    if (size / 1024 < 1) return `${size.toFixed(2)} ${unit}`;
    size /= 1024;
  }
  return `${size.toFixed(2)} PB`;
}
