import { runTapeDemo } from '../demos/tape.js';
import { demoBackend } from './demo-backend.js';

await demoBackend();
runTapeDemo(console.log);
