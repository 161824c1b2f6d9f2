import { runLossesDemo } from '../demos/losses.js';
import { demoBackend } from './demo-backend.js';

await demoBackend();
runLossesDemo(console.log);
