// demo:spectrogram on a few clips (the real run is `npm run demo:spectrogram`): the clips are what
// they are said to be, by a float64 DFT of their first and last frames, and the model trained on
// them tells new ones apart, draws its picture and leaves no tensor behind.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { memory, RandomGenerator, setBackend } from '@perceptron/core';
import '@perceptron/backend-naive';
import { beforeAll, describe, expect, it } from 'vitest';
import { runSpectrogramDemo } from '../src/demos/spectrogram.js';
import { CLIP_SAMPLES, SAMPLING_RATE, SOUND_KINDS, toneClips } from '../src/demos/tones.js';

beforeAll(async () => {
  await setBackend('naive');
});

/** The frequency in Hz of the largest |DFT| bin of `samples` (float64, a bin every SAMPLING_RATE / length Hz). */
function loudestFrequency(samples: ArrayLike<number>): number {
  const n = samples.length;
  let [best, loudest] = [0, -1];
  for (let k = 1; k < n / 2; k++) {
    let [re, im] = [0, 0];
    for (let t = 0; t < n; t++) {
      re += samples[t]! * Math.cos((2 * Math.PI * k * t) / n);
      im -= samples[t]! * Math.sin((2 * Math.PI * k * t) / n);
    }
    if (re * re + im * im > loudest) [best, loudest] = [k, re * re + im * im];
  }
  return (best * SAMPLING_RATE) / n;
}

describe('toneClips', () => {
  const FRAME = 400;
  const clips = toneClips(8, new RandomGenerator(5));
  const ends = (clip: number) => [0, CLIP_SAMPLES - FRAME].map((start) => loudestFrequency(clips.x.subarray(clip * CLIP_SAMPLES + start, clip * CLIP_SAMPLES + start + FRAME)));
  // A 400-sample frame resolves 20 Hz; a chirp moves by under 10 % of its sweep within one.
  const low = (f: number) => f >= 180 && f <= 560;
  const high = (f: number) => f >= 1040 && f <= 2420;

  it('gives the kinds in turn, a tone low or high at both ends, a chirp from one range to the other', () => {
    expect([...clips.y]).toEqual([0, 1, 2, 3, 0, 1, 2, 3]);
    for (let clip = 0; clip < clips.count; clip++) {
      const [start, end] = ends(clip);
      const expected = [[low, low], [high, high], [low, high], [high, low]][clips.y[clip]!]!;
      expect([expected[0]!(start!), expected[1]!(end!)], `${SOUND_KINDS[clips.y[clip]!]}: ${start} Hz at the start, ${end} Hz at the end`).toEqual([true, true]);
    }
  });

  it('draws the same clips from the same seed and others from another', () => {
    expect(toneClips(4, new RandomGenerator(5)).x).toEqual(clips.x.subarray(0, 4 * CLIP_SAMPLES));
    expect(toneClips(4, new RandomGenerator(6)).x).not.toEqual(clips.x.subarray(0, 4 * CLIP_SAMPLES));
  });
});

describe('runSpectrogramDemo', () => {
  it('learns to tell the four kinds apart in new clips, draws spectrograms.png, and frees every tensor', async () => {
    const out = await mkdtemp(join(tmpdir(), 'spectrogram-demo-'));
    const lines: string[] = [];
    const before = memory().numTensors;
    try {
      const result = await runSpectrogramDemo({ epochs: 4, batchSize: 20, seed: 7, out }, (line) => lines.push(line), { train: 240, test: 80 });
      expect(result.testAccuracy).toBeGreaterThanOrEqual(0.9);
      expect(lines).toContain(`\nTest accuracy: ${result.testAccuracy.toFixed(4)}, on 80 clips the model never heard`);
      const png = await readFile(join(out, 'spectrograms.png'));
      expect([...png.subarray(1, 4)].map((c) => String.fromCharCode(c)).join('')).toBe('PNG');
      expect(memory().numTensors).toBe(before);
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  }, 60_000);
});
