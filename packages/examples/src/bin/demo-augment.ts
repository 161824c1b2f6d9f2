// Trains demo:cnn's network with and without augmentation, and tests both on digits as written and moved:
//   npm run demo:augment -- [--backend NAME] [--epochs N] [--batch-size N] [--seed N] [--out DIR]
import { trainingDemoCommand } from '../demos/training-demo-cli.js';
import { runCommand } from '../lab/command.js';

const SUMMARY = `What augmentation buys: trains demo:cnn's network twice from the same initial weights, on
the MNIST digits as written, then behind Keras's RandomRotation (±10°), RandomTranslation (±10 %)
and RandomZoom (±10 %), which move each training digit at random. Tests both on the test set and
on a copy of it moved the same way (one fixed draw), prints the accuracies side by side, and draws
eight training digits with three random moves of each.`;

process.exitCode = await runCommand(
  process.argv.slice(2),
  trainingDemoCommand('demo:augment', SUMMARY, async () => (await import('../demos/augment.js')).runAugmentDemo, 'augmentation.png goes'),
);
