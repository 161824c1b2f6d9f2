import { MeanAbsoluteError, MeanSquaredError, RootMeanSquaredError, tidy, type Loss } from '@perceptron/core';
import { type Print } from './print.js';

/** The two error columns of the lab's slide 59. */
export const LAB_ERRORS: readonly (readonly number[])[] = [
  [1, 1, 3, 3],
  [0, 0, 0, 10],
];

export interface LossTable {
  errors: readonly number[];
  mae: number;
  mse: number;
  rmse: number;
}

/** Rounded to 2 decimals as the slide shows them (2.2360… → 2.24, 5 → 5). */
function show(value: number): string {
  return String(Number(value.toFixed(2)));
}

function pad(cells: readonly string[], widths: readonly number[]): string {
  return cells.map((c, i) => c.padEnd(widths[i]!)).join('').trimEnd();
}

/**
 * The lab's MAE / MSE / RMSE tables, computed with the library's loss objects on predictions
 * that miss the targets by exactly the listed errors.
 */
export function runLossesDemo(print: Print, errorSets: readonly (readonly number[])[] = LAB_ERRORS): LossTable[] {
  const losses: [keyof Omit<LossTable, 'errors'>, Loss][] = [
    ['mae', new MeanAbsoluteError()],
    ['mse', new MeanSquaredError()],
    ['rmse', new RootMeanSquaredError()],
  ];
  return errorSets.map((errors, t) => {
    const yTrue = errors.map(() => 0);
    const yPred = [...errors];
    const table = { errors } as LossTable;
    for (const [key, loss] of losses) table[key] = tidy(() => loss.call([yTrue], [yPred]).dataSync()[0]!);

    if (t > 0) print('');
    const widths = [4, 8, 9, 8];
    print(pad(['#', 'Error', '|Error|', 'Error²'], widths));
    errors.forEach((e, i) => print(pad([String(i + 1), String(e), String(Math.abs(e)), String(e * e)], widths)));
    print(pad(['MAE', 'MSE', 'RMSE'], [8, 8, 8]));
    print(pad([show(table.mae), show(table.mse), show(table.rmse)], [8, 8, 8]));
    return table;
  });
}
