import { runCommand } from '../lab/command.js';
import { parseSeedSweepArgs, SEED_SWEEP_USAGE, type SeedSweepOptions } from '../lab/seed-sweep-cli.js';

async function runSweepCli(options: SeedSweepOptions): Promise<void> {
  const [{ runSeedSweep }, { registerNodeBackends }] = await Promise.all([import('../lab/seed-sweep.js'), import('../backends.js')]);
  for (const problem of await registerNodeBackends()) console.error(problem);
  const { files } = await runSeedSweep(options, { print: console.log });
  console.error(`Wrote:\n${files.map((f) => `  ${f}`).join('\n')}`);
}

// `npm run lab:seeds`: the lab once per seed, and the spread of its test accuracy.
process.exitCode = await runCommand(process.argv.slice(2), { usage: SEED_SWEEP_USAGE, parse: (argv) => parseSeedSweepArgs(argv), run: runSweepCli });
