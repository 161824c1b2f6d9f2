/** `npm run bench`: Perceptron against TensorFlow.js, side by side, in one process. */
import { USAGE, UsageError, parseArgs } from './args.js';
import { stderrLog } from './progress.js';
import { formatReport } from './report.js';
import { runBench } from './run-bench.js';
import { defaultOutDir, writeResults } from './write-results.js';

async function main(argv: readonly string[]): Promise<number> {
  let options;
  try {
    options = parseArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`bench: ${error.message}\n\n${USAGE}\n`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  let results;
  try {
    results = await runBench(options, stderrLog);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`bench: ${error.message}\n`);
    return 2;
  }
  process.stdout.write(`\n${formatReport(results)}`);
  const files = await writeResults(results, options.outDir ?? defaultOutDir());
  stderrLog(`wrote ${files.json}, ${files.latestJson}, ${files.markdown} and ${files.png}`);
  const failed = [...results.training, ...results.predict, ...results.dispatch, ...results.matMul].filter((c) => c.status === 'error');
  if (failed.length > 0) stderrLog(`${failed.length} cell(s) failed; see the table and the JSON`);
  return failed.length > 0 ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
