/** The command line of `npm run bench:browser`: the Node bench's flags, scoped to what a page runs. */
import { QUICK_PREDICT_IMAGES, QUICK_STEPS, STEPS_PER_EXECUTION_USAGE, parseArgs, type ArgsScope, type BenchOptions } from './args.js';
import { MODEL_NAMES } from './workloads.js';

/**
 * Each workload is trained, then predicts; there is no ops part, and no plain-js stack (its loops
 * are the same JavaScript in a page as in Node).
 */
export const BROWSER_SCOPE: ArgsScope = { parts: MODEL_NAMES, stacks: ['perceptron', 'tfjs'] };

/** Backends left out unless --backends names them: naive is the reference implementation, slow on every workload. */
export const OPT_IN_BACKENDS: readonly string[] = ['naive'];

export const BROWSER_USAGE = `Usage: npm run bench:browser -- [options]

Runs the benchmark in headless Chromium (a page served by Vite) and writes the same JSON,
markdown and PNG as npm run bench.

  --only WORKLOADS     comma list of ${MODEL_NAMES.join(', ')} (default: all); each is trained, then predicts
  --backends NAMES     comma list of backends, e.g. tfjs-webgl,simd (default: every one the page offers
                       but ${OPT_IN_BACKENDS.join(', ')}, which runs only when named here)
  --stacks NAMES       comma list of ${BROWSER_SCOPE.stacks.join(', ')} (tfjs = tfjs-layers; default: both)
  --repeats N          measured epochs / predict samples after one warm-up (default 3)
  --steps N            steps per measured epoch (default: the full epoch; ${QUICK_STEPS} with --quick)
  --predict-images N   test images for predict (default 10000; ${QUICK_PREDICT_IMAGES} with --quick)
  ${STEPS_PER_EXECUTION_USAGE}
  --quick              ${QUICK_STEPS} steps per epoch, ${QUICK_PREDICT_IMAGES} predict images
  --all                include the cells skipped by default as too slow (see npm run bench -- --help)
  --out DIR            output folder (default: packages/bench/bench-results/browser)
  --help               this text`;

export function parseBrowserArgs(argv: readonly string[]): BenchOptions {
  return parseArgs(argv, BROWSER_SCOPE);
}
