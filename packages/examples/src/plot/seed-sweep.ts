import type { VegaLiteSpec } from './render.js';

export interface SeedAccuracy {
  seed: number;
  testAccuracy: number;
}

export interface SpreadLines {
  mean: number;
  std: number;
}

const POINT = '#1f77b4';
const MEAN = '#555555';
const TARGET = '#d62728';

/**
 * One dot per seed (in run order), the mean as a line inside a ±1 std band, and the target (if
 * any) dashed: whether a bar sits inside the seed-to-seed spread is visible at a glance.
 */
export function seedSweepSpec(runs: readonly SeedAccuracy[], spread: SpreadLines, target: number | null, title: string): VegaLiteSpec {
  const seeds = runs.map((r) => String(r.seed));
  const values = [...runs.map((r) => r.testAccuracy), spread.mean - spread.std, spread.mean + spread.std, ...(target === null ? [] : [target])];
  const pad = (Math.max(...values) - Math.min(...values)) * 0.15 || 0.001;
  const y = { type: 'quantitative', title: 'test accuracy', scale: { domain: [Math.min(...values) - pad, Math.max(...values) + pad] }, axis: { format: '.3f' } } as const;
  const x = { field: 'seed', type: 'ordinal', title: 'seed', sort: seeds, axis: { labelAngle: 0 } } as const;
  const label = (text: string, value: number, color: string) => ({
    data: { values: [{ text, value }] },
    // right of the plot area, clear of the dots
    mark: { type: 'text', align: 'left', baseline: 'middle', dx: 6, x: 'width', color, fontSize: 12 },
    encoding: { y: { field: 'value', ...y }, text: { field: 'text' } },
  });
  const band = {
    data: { values: [{ low: spread.mean - spread.std, high: spread.mean + spread.std }] },
    mark: { type: 'rect', color: MEAN, opacity: 0.12 },
    encoding: { y: { field: 'low', ...y }, y2: { field: 'high' } },
  };
  const rule = (value: number, color: string, dash: number[]) => ({
    data: { values: [{ value }] },
    mark: { type: 'rule', color, strokeWidth: 2, strokeDash: dash },
    encoding: { y: { field: 'value', ...y } },
  });
  const layers: object[] = [
    band,
    rule(spread.mean, MEAN, [1, 0]),
    label(`mean ${spread.mean.toFixed(4)} ± ${spread.std.toFixed(4)} (1 std)`, spread.mean, MEAN),
  ];
  if (target !== null) layers.push(rule(target, TARGET, [6, 4]), label(`target ${target}`, target, TARGET));
  layers.push({
    data: { values: runs.map((r) => ({ seed: String(r.seed), accuracy: r.testAccuracy, text: r.testAccuracy.toFixed(4) })) },
    layer: [
      { mark: { type: 'point', filled: true, size: 90, color: POINT }, encoding: { x, y: { field: 'accuracy', ...y } } },
      { mark: { type: 'text', dy: -12, fontSize: 11 }, encoding: { x, y: { field: 'accuracy', ...y }, text: { field: 'text' } } },
    ],
  });
  return {
    title: { text: title, fontSize: 14 },
    width: Math.max(360, 70 * runs.length),
    height: 300,
    layer: layers,
  } as VegaLiteSpec;
}
