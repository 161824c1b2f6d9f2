// demo:spectrogram: sounds told apart by their spectra. Clips of four kinds (tones.ts) go through
// Keras's MelSpectrogram, as the first layer of the model, so a Dense network reads their
// mel-scale spectra in decibels; it is trained with fit, tested on clips it never heard, and a
// test clip of each kind is drawn as its spectrogram, with what the model heard in it.
import { join } from 'node:path';
import * as pc from '@perceptron/core';
import { digitGridSpec, type ColourScale, type DigitImage } from '../plot/digits.js';
import { writeChartPng } from '../plot/write-png.js';
import type { TrainingDemoSettings } from './mnist-training.js';
import type { Print } from './print.js';
import { stepTimer } from './step-timer.js';
import { CLIP_SAMPLES, SAMPLING_RATE, SOUND_KINDS, toneClips, type Clips } from './tones.js';

/** Mel bands of the spectrogram: its rows. */
export const MEL_BINS = 32;

/** Keras's MelSpectrogram for the clips: 256-sample frames every 128 samples (32 ms and 16 ms), in decibels. */
export function melSpectrogram(): pc.MelSpectrogram {
  return new pc.MelSpectrogram({ fftLength: 256, sequenceStride: 128, samplingRate: SAMPLING_RATE, numMelBins: MEL_BINS });
}

/** Clip → mel spectrogram [32 bands, 32 frames] → Dense(32, relu) → Dense(4, softmax). */
export function toneClassifier(): pc.Sequential {
  return new pc.Sequential([
    pc.Input({ shape: [CLIP_SAMPLES] }),
    melSpectrogram(),
    // The decibels span about −50 to +30 here: scaled to about ±1, as inputs best are.
    new pc.Rescaling({ scale: 1 / 40 }),
    new pc.Flatten(),
    new pc.Dense(32, { activation: 'relu' }),
    new pc.Dense(SOUND_KINDS.length, { activation: 'softmax' }),
  ]);
}

export interface SpectrogramDemoResult {
  testAccuracy: number;
  msPerStep: number;
}

/** How many clips to train and test on: 1,000 and 200 unless given. */
export interface ClipCounts {
  train: number;
  test: number;
}

/** The spectrograms in a perceptually even scheme, from each clip's quietest to its loudest. */
const LOUDNESS: ColourScale = { colours: 'viridis', legend: 'dB, scaled per clip' };

/** Each clip's spectrogram [bands, frames] as an image: low bands at the bottom, scaled to [0, 1] per clip. */
function spectrogramImages(spectrograms: pc.Tensor): Float32Array[] {
  const [count, bands, frames] = spectrograms.shape as [number, number, number];
  const values = spectrograms.dataSync();
  return Array.from({ length: count }, (_, clip) => {
    const own = values.subarray(clip * bands * frames, (clip + 1) * bands * frames);
    const [low, high] = [Math.min(...own), Math.max(...own)];
    const image = new Float32Array(bands * frames);
    for (let band = 0; band < bands; band++) {
      for (let frame = 0; frame < frames; frame++) image[(bands - 1 - band) * frames + frame] = (own[band * frames + frame]! - low) / (high - low || 1);
    }
    return image;
  });
}

/** The first test clip of each kind, captioned with its kind, and in red with what the model heard instead when it was wrong. */
async function drawSpectrograms(file: string, model: pc.Model, test: Clips): Promise<void> {
  const first = SOUND_KINDS.map((_, kind) => test.y.indexOf(kind));
  const clips = pc.tensor(Float32Array.from(first.flatMap((i) => [...test.x.subarray(i * CLIP_SAMPLES, (i + 1) * CLIP_SAMPLES)])), [first.length, CLIP_SAMPLES]);
  const [spectrograms, heard] = pc.tidy(() => [melSpectrogram().apply(clips) as pc.Tensor, pc.argMax(model.predict(clips) as pc.Tensor, 1)]);
  const [bands, frames] = spectrograms.shape.slice(1) as [number, number];
  const kinds = heard.dataSync();
  const images: DigitImage[] = spectrogramImages(spectrograms).map((pixels, kind) => {
    const wrong = kinds[kind] !== kind;
    return { pixels, scale: LOUDNESS, caption: wrong ? `${SOUND_KINDS[kind]}, heard ${SOUND_KINDS[kinds[kind]!]}` : SOUND_KINDS[kind], highlight: wrong };
  });
  pc.dispose([clips, spectrograms, heard]);
  await writeChartPng(file, digitGridSpec(images, { rows: bands, cols: frames, columns: images.length, cellSize: 160, title: 'Mel spectrograms of test clips (time →, frequency ↑)' }));
}

/**
 * Trains toneClassifier on `counts.train` clips with fit (Adam 1e-3, sparse categorical
 * cross-entropy, the progress bar), prints its accuracy on `counts.test` new clips and its
 * ms/step, and draws spectrograms.png into `settings.out` when given.
 */
export async function runSpectrogramDemo(settings: TrainingDemoSettings, print: Print, counts: ClipCounts = { train: 1000, test: 200 }): Promise<SpectrogramDemoResult> {
  const { epochs, batchSize, seed } = settings;
  const random = new pc.RandomGenerator(seed);
  const [train, test] = [toneClips(counts.train, random), toneClips(counts.test, random)];
  print(`${train.count} training clips and ${test.count} test clips of ${CLIP_SAMPLES / SAMPLING_RATE} s at ${SAMPLING_RATE} Hz: ${SOUND_KINDS.join(', ')}\n`);
  pc.setSeed(seed);
  const model = toneClassifier();
  const optimizer = new pc.Adam({ learningRate: 1e-3 });
  const [x, y] = [pc.tensor(train.x, [train.count, CLIP_SAMPLES]), pc.tensor(train.y, [train.count], 'int32')];
  const [xTest, yTest] = [pc.tensor(test.x, [test.count, CLIP_SAMPLES]), pc.tensor(test.y, [test.count], 'int32')];
  try {
    model.summary(print);
    model.compile({ optimizer, loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    const timer = stepTimer();
    await model.fit(x, y, { epochs, batchSize, callbacks: [timer.callback] });
    const [, testAccuracy] = (await model.evaluate(xTest, yTest, { batchSize: 100, verbose: 0 })) as [number, number];
    const result = { testAccuracy, msPerStep: timer.msPerStep() };
    print(`\nTest accuracy: ${testAccuracy.toFixed(4)}, on ${test.count} clips the model never heard`);
    print(`Training: ${result.msPerStep.toFixed(1)} ms/step (batch ${batchSize})`);
    if (settings.out !== undefined) {
      const file = join(settings.out, 'spectrograms.png');
      await drawSpectrograms(file, model, test);
      print(`Wrote ${file}`);
    }
    return result;
  } finally {
    pc.dispose([x, y, xTest, yTest]);
    model.dispose();
    optimizer.dispose();
  }
}
