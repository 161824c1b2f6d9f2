/** The command-line shell shared by `npm run bench` and `npm run bench:browser`: parse, run, print the table, write the files. */
import { UsageError, type BenchOptions } from './args.js';
import { stderrLog, type Log } from './progress.js';
import { formatReport } from './report.js';
import type { BenchResults } from './results.js';
import { writeResults } from './write-results.js';

export interface BenchCommand {
  name: string;
  usage: string;
  parse(argv: readonly string[]): BenchOptions;
  run(options: BenchOptions, log: Log): Promise<BenchResults>;
  /** Where the files go without --out. */
  defaultOutDir: string;
  /** Why the command cannot run on this machine (checked after --help), or null when it can. */
  missingRequirement?(): string | null;
}

/** The exit code: 0, 1 when a cell failed or the command cannot run here, 2 for a bad command line (then the usage is printed). */
export async function runCommand(command: BenchCommand, argv: readonly string[]): Promise<number> {
  let options;
  try {
    options = command.parse(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${command.name}: ${error.message}\n\n${command.usage}\n`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(`${command.usage}\n`);
    return 0;
  }
  const missing = command.missingRequirement?.() ?? null;
  if (missing !== null) {
    process.stderr.write(`${command.name}: cannot run here: ${missing}\n`);
    return 1;
  }
  let results;
  try {
    results = await command.run(options, stderrLog);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${command.name}: ${error.message}\n`);
    return 2;
  }
  process.stdout.write(`\n${formatReport(results)}`);
  const files = await writeResults(results, options.outDir ?? command.defaultOutDir);
  stderrLog(`wrote ${files.json}, ${files.latestJson}, ${files.markdown} and ${files.png}`);
  const failed = [...results.training, ...results.predict, ...results.dispatch, ...results.matMul].filter((c) => c.status === 'error');
  if (failed.length > 0) stderrLog(`${failed.length} cell(s) failed; see the table and the JSON`);
  return failed.length > 0 ? 1 : 0;
}
