// demo:spectrogram's sounds: short clips of four kinds that only their spectra tell apart, made
// from a seeded generator so every run hears the same ones.
import type { RandomGenerator } from '@perceptron/core';

/** Samples per second: 8 kHz, a telephone's, holds every frequency below up to 4 kHz. */
export const SAMPLING_RATE = 8000;
/** Half a second per clip. */
export const CLIP_SAMPLES = 4000;

/** The kinds, by label: a tone low or high, or a tone gliding up or down between the two ranges. */
export const SOUND_KINDS = ['low tone', 'high tone', 'rising chirp', 'falling chirp'] as const;

const LOW = [200, 400] as const;
const HIGH = [1200, 2400] as const;
/** Each clip's loudness is drawn from this range, and white noise of NOISE's amplitude is added. */
const AMPLITUDE = [0.2, 0.8] as const;
const NOISE = 0.05;

export interface Clips {
  /** [count, CLIP_SAMPLES], row-major. */
  readonly x: Float32Array;
  /** The kind of each clip, an index into SOUND_KINDS. */
  readonly y: Int32Array;
  readonly count: number;
}

const between = (random: RandomGenerator, [low, high]: readonly [number, number]): number => low + (high - low) * random.nextFloat();

/**
 * The frequency in Hz of clip kind `kind` at sample t, for the frequencies `low` and `high` it
 * was given: a tone stays at one, a chirp moves linearly from one to the other.
 */
export function frequencyAt(kind: number, t: number, low: number, high: number): number {
  const progress = t / CLIP_SAMPLES;
  if (kind === 0) return low;
  if (kind === 1) return high;
  return kind === 2 ? low + (high - low) * progress : high + (low - high) * progress;
}

/**
 * `count` clips, kinds in turn (0, 1, 2, 3, 0, …), each with its own low and high frequency,
 * loudness, starting phase and noise, from `random`. The phase is the running sum of the
 * frequency, so chirps glide without clicks.
 */
export function toneClips(count: number, random: RandomGenerator): Clips {
  const x = new Float32Array(count * CLIP_SAMPLES);
  const y = new Int32Array(count);
  for (let clip = 0; clip < count; clip++) {
    const kind = clip % SOUND_KINDS.length;
    const [low, high, amplitude] = [between(random, LOW), between(random, HIGH), between(random, AMPLITUDE)];
    let phase = 2 * Math.PI * random.nextFloat();
    for (let t = 0; t < CLIP_SAMPLES; t++) {
      x[clip * CLIP_SAMPLES + t] = amplitude * Math.sin(phase) + NOISE * (2 * random.nextFloat() - 1);
      phase += (2 * Math.PI * frequencyAt(kind, t, low, high)) / SAMPLING_RATE;
    }
    y[clip] = kind;
  }
  return { x, y, count };
}
