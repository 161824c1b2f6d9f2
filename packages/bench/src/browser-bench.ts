/** `npm run bench:browser`: the benchmark's training and predict cells in headless Chromium. */
import { chromiumMissingReason } from '@perceptron/conformance/browser/chromium';
import { BROWSER_USAGE, parseBrowserArgs } from './browser-args.js';
import { runCommand } from './command.js';
import { runBrowserBench } from './run-browser-bench.js';
import { defaultOutDir } from './write-results.js';

process.exitCode = await runCommand(
  {
    name: 'bench:browser', usage: BROWSER_USAGE, parse: parseBrowserArgs, run: runBrowserBench, defaultOutDir: defaultOutDir('browser'),
    missingRequirement: chromiumMissingReason,
  },
  process.argv.slice(2),
);
