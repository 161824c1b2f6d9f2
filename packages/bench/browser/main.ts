// The benchmark page: registers every backend a browser offers (simd-1-thread beside simd, as in
// Node) and waits for the runner (src/run-browser-bench.ts) to call window.runBrowserBench.
import { setTfjsWasmPaths } from '@perceptron/backend-tfjs';
import { registerBackends } from '../src/subjects.js';
import { READY } from './page-api.js';
import { runInPage } from './run-in-page.js';

// The page is served with tfjs-backend-wasm's dist folder as its public directory.
setTfjsWasmPaths(`${location.origin}/`);
const { simdThreads } = await registerBackends();

window.runBrowserBench = (options) => runInPage(options, (line) => {
  // Opened by hand (no runner to expose benchLog), the progress goes to the console.
  if (window.benchLog) void window.benchLog(line);
  else console.log(line);
}, simdThreads);

document.getElementById('status')!.textContent = READY;
