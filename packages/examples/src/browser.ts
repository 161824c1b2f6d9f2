// Browser-safe entry of @perceptron/examples (`@perceptron/examples/browser`): the lab's model
// and demo:cnn's, the IDX parsers and the lab's MNIST split, nothing that imports a Node module
// (test/browser-entry.test.ts checks).
export * from './mnist/idx-format.js';
export * from './mnist/mnist-raw.js';
export * from './mnist/split.js';
export { PerceptronLayer, type PerceptronLayerConfig } from './lab/perceptron-layer.js';
export { MultilayerPerceptron, type MultilayerPerceptronConfig } from './lab/multilayer-perceptron.js';
export { prepareModel, type PreparedModel } from './lab/prepare-model.js';
export { mnistCnn } from './demos/mnist-cnn.js';
