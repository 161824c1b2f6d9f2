import type { Tensor } from '../tensor/tensor.js';
import { tensor } from './convert.js';

/** HTK's mel scale, as TensorFlow and Keras use it: 1127·ln(1 + f / 700). */
const hertzToMel = (hertz: number): number => 1127 * Math.log(1 + hertz / 700);

/**
 * tf.signal.linear_to_mel_weight_matrix: [numSpectrogramBins, numMelBins] weights taking a
 * one-sided spectrum of bins spread evenly over [0, sampleRate / 2] to numMelBins triangular bands
 * spread evenly on the mel scale over [lowerEdgeHertz, upperEdgeHertz], each peaking at 1. The
 * triangles are linear in mels; bin 0 (DC) gets no weight, as in HTK. Worked out in float64 on
 * the host and rounded once.
 */
export function linearToMelWeightMatrix(numMelBins = 20, numSpectrogramBins = 129, sampleRate = 8000, lowerEdgeHertz = 125, upperEdgeHertz = 3800): Tensor {
  const op = 'linearToMelWeightMatrix';
  for (const [name, v] of [['numMelBins', numMelBins], ['numSpectrogramBins', numSpectrogramBins]] as const) {
    if (!Number.isInteger(v) || v <= 0) throw new Error(`${op}: ${name} must be a positive integer, got ${JSON.stringify(v)}`);
  }
  if (typeof sampleRate !== 'number' || !(sampleRate > 0)) throw new Error(`${op}: sampleRate must be a positive number, got ${JSON.stringify(sampleRate)}`);
  if (typeof lowerEdgeHertz !== 'number' || !(lowerEdgeHertz >= 0)) throw new Error(`${op}: lowerEdgeHertz must be a non-negative number, got ${JSON.stringify(lowerEdgeHertz)}`);
  if (typeof upperEdgeHertz !== 'number' || !(lowerEdgeHertz < upperEdgeHertz)) {
    throw new Error(`${op}: lowerEdgeHertz must be below upperEdgeHertz, got ${JSON.stringify(lowerEdgeHertz)} and ${JSON.stringify(upperEdgeHertz)}`);
  }
  if (upperEdgeHertz > sampleRate / 2) throw new Error(`${op}: upperEdgeHertz must be at most the Nyquist frequency sampleRate / 2 = ${sampleRate / 2}, got ${upperEdgeHertz}`);
  const [low, high] = [hertzToMel(lowerEdgeHertz), hertzToMel(upperEdgeHertz)];
  // numMelBins + 2 edges evenly in mels: band m rises from edge m to m + 1 and falls to m + 2.
  const edge = (i: number): number => low + ((high - low) * i) / (numMelBins + 1);
  const weights = new Float32Array(numSpectrogramBins * numMelBins);
  for (let k = 1; k < numSpectrogramBins; k++) {
    const mel = hertzToMel(((sampleRate / 2) * k) / (numSpectrogramBins - 1));
    for (let m = 0; m < numMelBins; m++) {
      const [lower, centre, upper] = [edge(m), edge(m + 1), edge(m + 2)];
      weights[k * numMelBins + m] = Math.max(0, Math.min((mel - lower) / (centre - lower), (upper - mel) / (upper - centre)));
    }
  }
  return tensor(weights, [numSpectrogramBins, numMelBins], 'float32');
}
