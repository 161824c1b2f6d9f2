import { availableBackends, registerNodeBackends } from '../backends.js';
import { runVectorizationDemo } from '../demos/vectorization.js';

for (const problem of await registerNodeBackends()) console.warn(problem);
await runVectorizationDemo(console.log, availableBackends());
