// Trains a small CNN on MNIST and prints its test accuracy and ms/step:
//   npm run demo:cnn -- [--backend NAME] [--epochs N] [--batch-size N]
import { CNN_USAGE, parseCnnDemoArgs } from '../demos/cnn-cli.js';
import { runCommand } from '../lab/command.js';

process.exitCode = await runCommand(process.argv.slice(2), {
  usage: CNN_USAGE,
  parse: parseCnnDemoArgs,
  async run({ backend, epochs, batchSize }) {
    // loaded only now, so --help and bad flags answer without loading the backends or the data
    const [{ registerNodeBackends, useBackend }, { runCnnDemo }] = await Promise.all([import('../backends.js'), import('../demos/cnn.js')]);
    for (const problem of await registerNodeBackends()) console.warn(problem);
    console.log(`Backend: ${await useBackend(backend)}\n`);
    await runCnnDemo({ epochs, batchSize }, console.log);
  },
});
