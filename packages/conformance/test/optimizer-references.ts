// Float64 references for Keras 3's Ftrl, Lamb and Adafactor, written per element from the
// formulas (Ftrl's as its docstring's if/else, not the clip form its code uses), and
// for its base optimizer's moving average and gradient accumulation. Each reference updates
// plain arrays in place: `w` the variable (flat, row-major, of `shape`), `s` its state (slots
// made on first use), `t` the 1-based update.

export type State = Record<string, number[]>;
export type Reference = (w: number[], g: readonly number[], s: State, t: number, shape: readonly number[]) => void;

export const slot = (s: State, name: string, n: number, init = 0): number[] => (s[name] ??= new Array<number>(n).fill(init));

const rms = (values: readonly number[]): number => Math.sqrt(values.reduce((a, x) => a + x * x, 0) / values.length);
const norm = (values: readonly number[]): number => Math.sqrt(values.reduce((a, x) => a + x * x, 0));

export interface FtrlSettings {
  lr: number;
  power?: number;
  init?: number;
  l1?: number;
  l2?: number;
  shrinkage?: number;
  beta?: number;
}

/**
 * McMahan et al.'s per-coordinate rule, p = −power: n' = n + g², σ = (n'ᵖ − nᵖ)/lr,
 * z += g̃ − σ·w with g̃ = g + 2·shrinkage·w, then w = 0 if |z| ≤ l1, else
 * (sgn(z)·l1 − z) / (n'ᵖ/lr + 2·(l2 + β/(2·lr))) (Keras's code doubles l2, as TensorFlow's kernel).
 */
export const ftrlRef = ({ lr, power = -0.5, init = 0.1, l1 = 0, l2 = 0, shrinkage = 0, beta = 0 }: FtrlSettings): Reference => (w, g, s) => {
  const n = slot(s, 'n', w.length, init);
  const z = slot(s, 'z', w.length);
  const l2Total = l2 + beta / (2 * lr);
  g.forEach((gi, i) => {
    const shrunk = gi + 2 * shrinkage * w[i]!;
    const next = n[i]! + gi * gi;
    const sigma = (next ** -power - n[i]! ** -power) / lr;
    z[i]! += shrunk - sigma * w[i]!;
    w[i] = Math.abs(z[i]!) <= l1 ? 0 : (Math.sign(z[i]!) * l1 - z[i]!) / (next ** -power / lr + 2 * l2Total);
    n[i] = next;
  });
};

/** LAMB: Adam's bias-corrected step u, then w −= ratio·lr·u with ratio = ‖w‖/‖u‖ (1 when either is 0). */
export const lambRef = (lr: number, { b1 = 0.9, b2 = 0.999, eps = 1e-7, weightDecay = 0 } = {}): Reference => (w, g, s, t) => {
  const m = slot(s, 'm', w.length);
  const v = slot(s, 'v', w.length);
  w.forEach((wi, i) => { w[i] = wi - wi * weightDecay * lr; });
  const u = g.map((gi, i) => {
    m[i] = b1 * m[i]! + (1 - b1) * gi;
    v[i] = b2 * v[i]! + (1 - b2) * gi * gi;
    return m[i]! / (1 - b1 ** t) / (Math.sqrt(v[i]! / (1 - b2 ** t)) + eps);
  });
  const [wNorm, uNorm] = [norm(w), norm(u)];
  const ratio = wNorm > 0 && uNorm > 0 ? wNorm / uNorm : 1;
  u.forEach((ui, i) => { w[i]! -= ratio * lr * ui; });
};

export interface AdafactorSettings {
  lr: number;
  decay?: number;
  eps1?: number;
  eps2?: number;
  clip?: number;
}

/**
 * Adafactor: for rank ≥ 2, per matrix of the last two axes, row means r and column means c of
 * G = g² + ε₁ decay with β = 1 − t^decay and v[i][j] = r[i]/mean(r)·c[j]; below rank 2, v itself
 * decays. Step: α = max(ε₂, rms(w))·min(lr, 1/√t), u = g/√v, w −= α·u / max(1, rms(u)/clip).
 */
export const adafactorRef = ({ lr, decay = -0.8, eps1 = 1e-30, eps2 = 1e-3, clip = 1 }: AdafactorSettings): Reference => (w, g, s, t, shape) => {
  const alpha = Math.max(eps2, rms(w)) * Math.min(lr, 1 / Math.sqrt(t));
  const squares = g.map((gi) => gi * gi + eps1);
  const beta = 1 - t ** decay;
  const v = slot(s, 'v', w.length);
  if (shape.length >= 2) {
    const columns = shape[shape.length - 1]!;
    const rows = shape[shape.length - 2]!;
    const matrices = w.length / (rows * columns);
    const r = slot(s, 'r', matrices * rows);
    const c = slot(s, 'c', matrices * columns);
    const at = (b: number, i: number, j: number): number => (b * rows + i) * columns + j;
    for (let b = 0; b < matrices; b++) {
      for (let i = 0; i < rows; i++) {
        let rowSum = 0;
        for (let j = 0; j < columns; j++) rowSum += squares[at(b, i, j)]!;
        r[b * rows + i] = beta * r[b * rows + i]! + (1 - beta) * (rowSum / columns);
      }
      for (let j = 0; j < columns; j++) {
        let columnSum = 0;
        for (let i = 0; i < rows; i++) columnSum += squares[at(b, i, j)]!;
        c[b * columns + j] = beta * c[b * columns + j]! + (1 - beta) * (columnSum / rows);
      }
      const rowMean = r.slice(b * rows, (b + 1) * rows).reduce((a, x) => a + x, 0) / rows;
      for (let i = 0; i < rows; i++) {
        for (let j = 0; j < columns; j++) v[at(b, i, j)] = (r[b * rows + i]! / rowMean) * c[b * columns + j]!;
      }
    }
  } else {
    squares.forEach((x, i) => { v[i] = beta * v[i]! + (1 - beta) * x; });
  }
  const u = g.map((gi, i) => gi / Math.sqrt(v[i]!));
  const scale = Math.max(1, rms(u) / clip);
  u.forEach((ui, i) => { w[i]! -= (alpha * ui) / scale; });
};

/** Plain SGD, the inner rule the moving-average and accumulation tests wrap. */
export const sgdRef = (lr: number): Reference => (w, g) => {
  g.forEach((gi, i) => { w[i]! -= lr * gi; });
};

/** Adam (Keras 3), for checking that accumulation hands it the update count as its step. */
export const adamRef = (lr: number, b1 = 0.9, b2 = 0.999, eps = 1e-7): Reference => (w, g, s, t) => {
  const m = slot(s, 'm', w.length);
  const v = slot(s, 'v', w.length);
  g.forEach((gi, i) => {
    m[i] = b1 * m[i]! + (1 - b1) * gi;
    v[i] = b2 * v[i]! + (1 - b2) * gi * gi;
    w[i]! -= (lr * Math.sqrt(1 - b2 ** t) / (1 - b1 ** t)) * m[i]! / (Math.sqrt(v[i]!) + eps);
  });
};

export interface StepSettings {
  /** The rate for the call numbered `calls` (0-based count of earlier calls): a schedule. */
  lr: (calls: number) => number;
  inner: (lr: number) => Reference;
  accumulation?: number;
  ema?: { momentum: number; overwriteFrequency?: number };
}

/** What Keras's base optimizer holds for one variable, beside the inner rule's slots. */
export interface Run {
  w: number[];
  calls: number;
  inner: State;
  accumulator: number[];
  average: number[];
}

export const startRun = (w0: readonly number[]): Run => ({ w: [...w0], calls: 0, inner: {}, accumulator: w0.map(() => 0), average: w0.map(() => 0) });

/**
 * One `apply_gradients` call of Keras 3's base optimizer on one variable: with accumulation n,
 * add g to the accumulator except on every n-th call, which applies the mean of the n gradients
 * at update number ⌊calls/n⌋ + 1 and empties it; then, with EMA, average = μ·average + (1 − μ)·w
 * with μ = 0 while no update has happened yet, and w = average on every overwriteFrequency-th
 * update count.
 */
export function stepRun(run: Run, g: readonly number[], settings: StepSettings, shape: readonly number[]): void {
  const n = settings.accumulation ?? 1;
  const updates = Math.floor(run.calls / n);
  const lr = settings.lr(run.calls);
  if ((run.calls + 1) % n === 0) {
    const mean = g.map((gi, i) => (gi + run.accumulator[i]!) / n);
    settings.inner(lr)(run.w, mean, run.inner, updates + 1, shape);
    run.accumulator.fill(0);
  } else {
    g.forEach((gi, i) => { run.accumulator[i]! += gi; });
  }
  if (settings.ema) {
    const mu = updates === 0 ? 0 : settings.ema.momentum;
    run.average.forEach((a, i) => { run.average[i] = mu * a + (1 - mu) * run.w[i]!; });
    const every = settings.ema.overwriteFrequency;
    if (every !== undefined && (updates + 1) % every === 0) run.w = [...run.average];
  }
  run.calls += 1;
}
