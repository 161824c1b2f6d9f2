// Trains a classifier of sounds behind Keras's MelSpectrogram layer and draws what it hears:
//   npm run demo:spectrogram -- [--backend NAME] [--epochs N] [--batch-size N] [--seed N] [--out DIR]
import { trainingDemoCommand } from '../demos/training-demo-cli.js';
import { runCommand } from '../lab/command.js';

const SUMMARY = `Trains a model that tells four kinds of sound apart (a low tone, a high tone, a rising and a
falling chirp, half a second each, with random pitch, loudness and noise) from their mel
spectrograms: Keras's MelSpectrogram as the model's first layer, then Dense layers, with fit.
Prints the model's summary, the accuracy on new clips and the time per step, and draws a test clip
of each kind as its spectrogram.`;

process.exitCode = await runCommand(
  process.argv.slice(2),
  trainingDemoCommand('demo:spectrogram', SUMMARY, async () => (await import('../demos/spectrogram.js')).runSpectrogramDemo, 'spectrograms.png goes'),
);
