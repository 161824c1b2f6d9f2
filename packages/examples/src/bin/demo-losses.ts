import { runLossesDemo } from '../demos/losses.js';
import { runOnOneBackend } from './demo-backend.js';

await runOnOneBackend('demo:losses', "The lab's MAE / MSE / RMSE tables, computed with the library's loss objects.", runLossesDemo);
