// Trains two masked sequence models on MNIST digits read column by column, and draws one's attention:
//   npm run demo:sequences -- [--backend NAME] [--epochs N] [--batch-size N] [--seed N] [--out DIR]
import { trainingDemoCommand } from '../demos/training-demo-cli.js';
import { runCommand } from '../lab/command.js';

const SUMMARY = `Reads each MNIST digit column by column, left to right, as a sequence: the blank columns
around the ink are dropped and the sequences padded to 28 steps. Trains two Keras sequence models
whose masks skip the padding, as fit does (the Keras progress bar): Masking → LSTM, then a
transformer block (column features plus an Embedding of the position with maskZero,
MultiHeadAttention, a masked GlobalAveragePooling1D). Prints each model's summary, test accuracy
and time per step, and draws where the attention model's columns attend.`;

process.exitCode = await runCommand(
  process.argv.slice(2),
  trainingDemoCommand('demo:sequences', SUMMARY, async () => (await import('../demos/sequences.js')).runSequencesDemo, 'attention.png goes'),
);
