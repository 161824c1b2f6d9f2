// The benchmark page: registers every backend a browser offers and waits for the runner
// (src/run-browser-bench.ts) to call window.runBrowserBench.
import '@perceptron/backend-naive';
import '@perceptron/backend-simd';
import { setTfjsWasmPaths } from '@perceptron/backend-tfjs';
import { READY } from './page-api.js';
import { runInPage } from './run-in-page.js';

// The page is served with tfjs-backend-wasm's dist folder as its public directory.
setTfjsWasmPaths(`${location.origin}/`);

window.runBrowserBench = (options) => runInPage(options, (line) => {
  // Opened by hand (no runner to expose benchLog), the progress goes to the console.
  if (window.benchLog) void window.benchLog(line);
  else console.log(line);
});

document.getElementById('status')!.textContent = READY;
