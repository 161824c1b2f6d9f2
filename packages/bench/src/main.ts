/** `npm run bench`: Perceptron against TensorFlow.js, side by side, in one process. */
import { USAGE, parseArgs } from './args.js';
import { runCommand } from './command.js';
import { runBench } from './run-bench.js';
import { defaultOutDir } from './write-results.js';

process.exitCode = await runCommand({ name: 'bench', usage: USAGE, parse: parseArgs, run: runBench, defaultOutDir: defaultOutDir() }, process.argv.slice(2));
