// Learning curves drawn on a canvas while training runs: loss and accuracy against epochs
// (the running average since the epoch began, as Keras logs it, so it trails the model's
// current accuracy), validation as dots at each epoch's end.

export interface CurvePoint {
  /** Epochs done, fractional within an epoch. */
  at: number;
  loss: number;
  accuracy: number;
}

export interface Curves {
  train: CurvePoint[];
  validation: CurvePoint[];
  epochs: number;
}

const PAD = { left: 44, right: 12, top: 22, bottom: 28 };

function panel(ctx: CanvasRenderingContext2D, x0: number, width: number, height: number, title: string, yMax: number, curves: Curves, pick: (p: CurvePoint) => number): void {
  const w = width - PAD.left - PAD.right;
  const h = height - PAD.top - PAD.bottom;
  const px = (at: number) => x0 + PAD.left + (at / Math.max(1, curves.epochs)) * w;
  const py = (v: number) => PAD.top + h - (Math.min(v, yMax) / yMax) * h;
  ctx.strokeStyle = '#999';
  ctx.fillStyle = '#333';
  ctx.font = '12px system-ui, sans-serif';
  ctx.strokeRect(x0 + PAD.left, PAD.top, w, h);
  ctx.fillText(title, x0 + PAD.left, PAD.top - 6);
  for (const frac of [0, 0.5, 1]) ctx.fillText(String(+(yMax * frac).toFixed(2)), x0 + 8, py(yMax * frac) + 4);
  for (let e = 0; e <= curves.epochs; e++) ctx.fillText(String(e), px(e) - 3, height - 10);
  ctx.strokeStyle = '#1565c0';
  ctx.lineWidth = 2;
  ctx.beginPath();
  curves.train.forEach((p, i) => (i === 0 ? ctx.moveTo(px(p.at), py(pick(p))) : ctx.lineTo(px(p.at), py(pick(p)))));
  ctx.stroke();
  ctx.fillStyle = '#e65100';
  for (const p of curves.validation) {
    ctx.beginPath();
    ctx.arc(px(p.at), py(pick(p)), 4, 0, 2 * Math.PI);
    ctx.fill();
  }
}

export function drawCurves(canvas: HTMLCanvasElement, curves: Curves): void {
  const ctx = canvas.getContext('2d')!;
  ctx.clearRect(0, 0, canvas.width, canvas.height);
  const half = canvas.width / 2;
  const maxLoss = Math.max(0.5, ...curves.train.map((p) => p.loss), ...curves.validation.map((p) => p.loss));
  panel(ctx, 0, half, canvas.height, 'loss (blue: training, orange: validation)', Math.ceil(maxLoss * 2) / 2, curves, (p) => p.loss);
  panel(ctx, half, half, canvas.height, 'accuracy (training: running mean)', 1, curves, (p) => p.accuracy);
}
