// Trains a two-input functional-API model on MNIST and prints its test accuracy and ms/step:
//   npm run demo:functional -- [--backend NAME] [--epochs N] [--batch-size N] [--seed N]
import { trainingDemoCommand } from '../demos/training-demo-cli.js';
import { runCommand } from '../lab/command.js';

const SUMMARY = `Trains a Keras functional-API model on MNIST with fit (the Keras progress bar): the top and
the bottom half of each image as two inputs, a Dense branch each, Concatenate, a residual block
closed by Add. Prints the model's summary, then its test accuracy and the training time per step.`;

process.exitCode = await runCommand(
  process.argv.slice(2),
  trainingDemoCommand('demo:functional', SUMMARY, async () => (await import('../demos/functional.js')).runFunctionalDemo),
);
