// Trains a small CNN on MNIST and prints its test accuracy and ms/step:
//   npm run demo:cnn -- [--backend NAME] [--epochs N] [--batch-size N] [--seed N]
import { trainingDemoCommand } from '../demos/training-demo-cli.js';
import { runCommand } from '../lab/command.js';

const SUMMARY = `Trains a small convolutional network on MNIST with fit (the Keras progress bar), then prints
its test accuracy and the training time per step.`;

process.exitCode = await runCommand(
  process.argv.slice(2),
  trainingDemoCommand('demo:cnn', SUMMARY, async () => (await import('../demos/cnn.js')).runCnnDemo),
);
