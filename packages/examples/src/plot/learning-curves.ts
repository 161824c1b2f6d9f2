import type { VegaLiteSpec } from './render.js';

/** End-of-epoch figures (validation ones are absent when there was no validation data). */
export interface EpochPoint {
  epoch: number;
  loss: number;
  accuracy: number;
  valLoss?: number;
  valAccuracy?: number;
}

/** A logged step inside an epoch; `progress` is in epochs (epoch 1, step 800 of 1719 → 0.47). */
export interface StepPoint {
  progress: number;
  /** Running mean of the epoch's batch losses so far (the lab's "Mean loss"). */
  meanLoss: number;
  /** Running training accuracy of the epoch so far. */
  accuracy: number;
}

interface Row {
  x: number;
  value: number;
  series: string;
}

const TRAIN = 'train';
const VALIDATION = 'validation';
const STEPS = 'train, running mean within the epoch (logged steps)';

/**
 * Says why a panel may be blank or cut short: Vega leaves out values that are not finite, and a
 * run that diverged (a learning rate far too high) has a loss of NaN.
 */
function unplottedNote(rows: readonly Row[]): string | undefined {
  const unplotted = rows.filter((r) => !Number.isFinite(r.value)).length;
  return unplotted === 0 ? undefined : `${unplotted} of ${rows.length} values are NaN or infinite (training diverged) and not drawn`;
}

/**
 * Loss and accuracy side by side, train and validation per epoch, plus (low mode) the running
 * figures at each logged step, so a one-epoch run still draws a curve.
 */
export function learningCurvesSpec(epochs: readonly EpochPoint[], steps: readonly StepPoint[] = [], title = 'Learning curves'): VegaLiteSpec {
  // Only the series that have data get a colour and a legend entry.
  const series = [
    { name: TRAIN, color: '#1f77b4', dash: [1, 0], present: epochs.length > 0 },
    { name: VALIDATION, color: '#ff7f0e', dash: [1, 0], present: epochs.some((e) => e.valLoss !== undefined) },
    { name: STEPS, color: '#9ecae9', dash: [4, 3], present: steps.length > 0 },
  ].filter((s) => s.present);
  const domain = series.map((s) => s.name);
  const panel = (name: string, pick: (e: EpochPoint) => [number, number | undefined], pickStep: (s: StepPoint) => number) => {
    const rows: Row[] = [];
    for (const e of epochs) {
      const [train, validation] = pick(e);
      rows.push({ x: e.epoch, value: train, series: TRAIN });
      if (validation !== undefined) rows.push({ x: e.epoch, value: validation, series: VALIDATION });
    }
    for (const s of steps) rows.push({ x: s.progress, value: pickStep(s), series: STEPS });
    return {
      title: { text: name, subtitle: unplottedNote(rows), subtitleColor: '#c00000' },
      width: 360,
      height: 260,
      data: { values: rows },
      mark: { type: 'line', point: true, strokeWidth: 2 },
      encoding: {
        x: { field: 'x', type: 'quantitative', title: 'epoch', scale: { domainMin: 0 }, axis: { tickMinStep: 1 } },
        y: { field: 'value', type: 'quantitative', title: name.toLowerCase(), scale: { zero: false } },
        color: {
          field: 'series',
          type: 'nominal',
          title: null,
          scale: { domain, range: series.map((s) => s.color) },
        },
        strokeDash: {
          field: 'series',
          type: 'nominal',
          title: null,
          scale: { domain, range: series.map((s) => s.dash) },
        },
      },
    };
  };
  return {
    title: { text: title, fontSize: 16 },
    hconcat: [
      panel('Loss', (e) => [e.loss, e.valLoss], (s) => s.meanLoss),
      panel('Accuracy', (e) => [e.accuracy, e.valAccuracy], (s) => s.accuracy),
    ],
    resolve: { scale: { color: 'shared', strokeDash: 'shared' } },
    config: { legend: { orient: 'bottom', labelLimit: 0 } },
  } as VegaLiteSpec;
}
