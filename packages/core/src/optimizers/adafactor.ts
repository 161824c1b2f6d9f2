import { add, div, maximum, mul, sub } from '../ops/arithmetic.js';
import { mean } from '../ops/reduce.js';
import { expandDims } from '../ops/reshape.js';
import { sqrt, square } from '../ops/unary.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Variable } from '../tensor/variable.js';
import type { Shape } from '../types.js';
import { booleanArgument, NON_NEGATIVE, numberArgument, POSITIVE, type Requirement } from '../util/arguments.js';
import { Optimizer, type OptimizerConfig, type OptimizerSettings, type Slots, type OwnOptions } from './optimizer.js';

export interface AdafactorConfig extends OptimizerConfig {
  /** The second-moment decay is β₂ₜ = 1 − t^beta2Decay; ≤ 0. Default −0.8. */
  beta2Decay?: number;
  /** Added to g² to keep the second moment away from 0. Default 1e-30. */
  epsilon1?: number;
  /** Floor of the variable's RMS in the step size. Default 1e-3. */
  epsilon2?: number;
  /** The update's RMS is scaled down to at most this (Adafactor's own clipping, beside clipnorm and the like). Default 1. */
  clipThreshold?: number;
  /**
   * Keras's relative_step, kept for its configs: Keras 3 caps the rate at 1/sqrt(t) whatever
   * this says, so it changes nothing. Default true.
   */
  relativeStep?: boolean;
}

const NON_POSITIVE: Requirement = ['a non-positive number', (x) => x <= 0];

/** Root mean square over every element, as a scalar tensor. */
const rms = (x: Tensor): Tensor => sqrt(mean(square(x)));

/**
 * Adafactor (Shazeer & Stern 2018) as Keras 3 writes it. With t the 1-based step,
 * ρ = min(lr, 1/sqrt(t)), α = max(ε₂, rms(var))·ρ, G = g² + ε₁ and β = 1 − t^beta2Decay: a
 * variable of rank ≥ 2 keeps only running means of G over its last axis (r, one per row) and
 * over its second-to-last (c, one per column), and v = (r / mean(r))·c, their outer product on
 * the last two axes; a variable of rank < 2 keeps v = β·v + (1 − β)·G itself. Then
 * u = g / sqrt(v), var −= α·u / max(1, rms(u) / clipThreshold).
 */
export class Adafactor extends Optimizer {
  readonly className = 'Adafactor';
  readonly beta2Decay: number;
  readonly epsilon1: number;
  readonly epsilon2: number;
  readonly clipThreshold: number;
  readonly relativeStep: boolean;

  constructor(config: AdafactorConfig = {}) {
    super({ learningRate: 0.001, name: 'adafactor' }, config, {
      beta2Decay: true, epsilon1: true, epsilon2: true, clipThreshold: true, relativeStep: true,
    } satisfies OwnOptions<AdafactorConfig>);
    this.beta2Decay = numberArgument(this.name, 'beta2Decay', config.beta2Decay ?? -0.8, NON_POSITIVE);
    this.epsilon1 = numberArgument(this.name, 'epsilon1', config.epsilon1 ?? 1e-30, NON_NEGATIVE);
    this.epsilon2 = numberArgument(this.name, 'epsilon2', config.epsilon2 ?? 1e-3, NON_NEGATIVE);
    this.clipThreshold = numberArgument(this.name, 'clipThreshold', config.clipThreshold ?? 1, POSITIVE);
    this.relativeStep = booleanArgument(this.name, 'relativeStep', config.relativeStep, true);
  }

  /** r and c are scalar placeholders for a variable of rank < 2, as Keras keeps them. */
  get slotNames(): readonly string[] {
    return ['rowMeans', 'columnMeans', 'velocity'];
  }

  protected override slotShape(slot: string, variable: Variable): Shape {
    const shape = variable.shape;
    if (slot === 'velocity') return shape;
    if (shape.length < 2) return [];
    return slot === 'rowMeans' ? shape.slice(0, -1) : [...shape.slice(0, -2), shape[shape.length - 1]!];
  }

  protected updateStep(variable: Variable, gradient: Tensor, slots: Slots, lr: number, step: number): void {
    const r = slots.rowMeans!;
    const c = slots.columnMeans!;
    const v = slots.velocity!;
    // Keras caps the rate at 1/sqrt(t) once more when relativeStep is on and the rate is fixed: the same cap.
    const rho = Math.min(lr, 1 / Math.sqrt(step));
    const alpha = mul(maximum(rms(variable), this.epsilon2), rho);
    const regulated = add(square(gradient), this.epsilon1);
    const beta = 1 - step ** this.beta2Decay;
    const decayed = (average: Variable, value: Tensor): Tensor => add(mul(average, beta), mul(value, 1 - beta));
    if (variable.rank >= 2) {
      r.assign(decayed(r, mean(regulated, -1)));
      c.assign(decayed(c, mean(regulated, -2)));
      v.assign(mul(expandDims(div(r, mean(r, -1, true)), -1), expandDims(c, -2)));
    } else {
      v.assign(decayed(v, regulated));
    }
    const u = div(gradient, sqrt(v));
    const clipped = div(u, maximum(div(rms(u), this.clipThreshold), 1));
    variable.assign(sub(variable, mul(clipped, alpha)));
  }

  override getConfig(): OptimizerSettings {
    return {
      ...super.getConfig(), beta2Decay: this.beta2Decay, epsilon1: this.epsilon1, epsilon2: this.epsilon2,
      clipThreshold: this.clipThreshold, relativeStep: this.relativeStep,
    };
  }
}
