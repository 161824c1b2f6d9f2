import { demoUsage, parseDemoArgs } from '../demos/demo-cli.js';
import type { Print } from '../demos/print.js';
import { runCommand } from '../lab/command.js';

/**
 * Runs a slide demo on the backend named on the command line (default: the fastest available)
 * and sets the exit status: 2 with the usage for a bad command line or a backend not available here.
 */
export async function runOnOneBackend(script: string, summary: string, demo: (print: Print) => void): Promise<void> {
  process.exitCode = await runCommand(process.argv.slice(2), {
    usage: demoUsage(script, summary, 'the fastest one available'),
    parse: parseDemoArgs,
    async run({ backend }) {
      // loaded only now, so --help and bad flags answer without loading the backends
      const { registerNodeBackends, useBackend } = await import('../backends.js');
      for (const problem of await registerNodeBackends()) console.warn(problem);
      console.log(`Backend: ${await useBackend(backend)}\n`);
      demo(console.log);
    },
  });
}
