import { demoUsage, parseDemoArgs } from '../demos/demo-cli.js';
import { runVectorizationDemo } from '../demos/vectorization.js';
import { runCommand } from '../lab/command.js';

const USAGE = demoUsage(
  'demo:vectorization',
  "The lab's vectorisation slide: a dot product as a plain loop, then with each backend's vectorised ops.",
  'every backend available here',
);

process.exitCode = await runCommand(process.argv.slice(2), {
  usage: USAGE,
  parse: parseDemoArgs,
  async run({ backend }) {
    // loaded only now, so --help and bad flags answer without loading the backends
    const { availableBackends, registerNodeBackends, useBackend } = await import('../backends.js');
    for (const problem of await registerNodeBackends()) console.warn(problem);
    await runVectorizationDemo(console.log, backend === null ? availableBackends() : [await useBackend(backend)]);
  },
});
