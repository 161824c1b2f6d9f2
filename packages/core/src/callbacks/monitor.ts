/** How a monitored quantity improves: `auto` infers it from the name. */
export type MonitorMode = 'auto' | 'min' | 'max';

/**
 * Whether lower or higher values of `monitor` are better. Keras asks the model's metric objects;
 * callbacks here know only the name, so `auto` recognises losses and errors (min) and
 * accuracy-like scores (max), and asks for an explicit mode otherwise.
 */
export function monitorDirection(monitor: string, mode: MonitorMode, who: string): 'min' | 'max' {
  if (mode === 'min' || mode === 'max') return mode;
  if (mode !== 'auto') throw new Error(`${who}: mode must be 'auto', 'min' or 'max', got '${String(mode)}'`);
  // The log keys fit makes: `val_` for validation, `weighted_` for a weightedMetrics twin.
  const name = monitor.replace(/^val_/, '').replace(/^weighted_/, '');
  if (/loss|error|crossentropy|hinge|divergence|^(mae|mse|rmse|mape|msle)$/.test(name)) return 'min';
  if (/acc|auc|precision|recall|iou|^f\d/.test(name)) return 'max';
  throw new Error(`${who}: cannot tell whether '${monitor}' should be minimized or maximized; pass mode: 'min' or 'max'`);
}
