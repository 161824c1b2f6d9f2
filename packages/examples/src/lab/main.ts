import { parseLabArgs, USAGE, type LabOptions } from './cli.js';
import { runCommand } from './command.js';

async function runLabCli(options: LabOptions): Promise<void> {
  const { runLab } = await import('./run-lab.js');
  const { report, files } = await runLab(options, { print: console.log, info: console.error });
  console.error(`\nTest accuracy ${report.test.accuracy.toFixed(4)} · ${report.msPerStep.toFixed(2)} ms/step on ${report.backend}`);
  console.error(`Wrote:\n${files.map((f) => `  ${f}`).join('\n')}`);
}

// The CLI behind `npm start` / `npm run lab`: exit 0 on success, 2 on a bad command line.
process.exitCode = await runCommand(process.argv.slice(2), { usage: USAGE, parse: (argv) => parseLabArgs(argv), run: runLabCli });
