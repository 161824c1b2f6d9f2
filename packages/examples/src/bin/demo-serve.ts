// Serves an exported model with onnxruntime-node on the 10,000 MNIST test images and prints
// its accuracy and throughput:
//   npm run demo:serve -w @perceptron/examples -- --model lab.onnx [--batch-size 1000] [--threads 1]
import { runServeDemo } from '../demos/serve.js';

process.exitCode = await runServeDemo(process.argv.slice(2), console.log, console.error);
