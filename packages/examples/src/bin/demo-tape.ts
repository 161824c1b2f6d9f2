import { runTapeDemo } from '../demos/tape.js';
import { runOnOneBackend } from './demo-backend.js';

await runOnOneBackend('demo:tape', "The lab's GradientTape slides: watched inputs, a persistent tape, nested tapes.", runTapeDemo);
