import { parseLabArgs, USAGE, UsageError } from './cli.js';

function usageFailure(message: string): number {
  console.error(`error: ${message}\n`);
  console.error(USAGE);
  return 2;
}

// The CLI behind `npm start` / `npm run lab`: exit 0 on success, 2 on a bad command line.
async function main(argv: readonly string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseLabArgs(argv);
  } catch (error) {
    if (error instanceof UsageError) return usageFailure(error.message);
    throw error;
  }
  if (parsed.kind === 'help') {
    console.log(USAGE);
    return 0;
  }
  // Loaded only now, so --help and bad flags answer at once, without loading the backends.
  const [{ runLab }, { BackendUnavailableError }] = await Promise.all([import('./run-lab.js'), import('../backends.js')]);
  let result;
  try {
    result = await runLab(parsed.options, { print: console.log, info: console.error });
  } catch (error) {
    if (error instanceof BackendUnavailableError) return usageFailure(`--backend: ${error.message}`);
    throw error;
  }
  const { report, files } = result;
  console.error(`\nTest accuracy ${report.test.accuracy.toFixed(4)} · ${report.msPerStep.toFixed(2)} ms/step on ${report.backend}`);
  console.error(`Wrote:\n${files.map((f) => `  ${f}`).join('\n')}`);
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
