import { Adam, SparseCategoricalAccuracy, SparseCategoricalCrossentropy } from '@perceptron/core';
import { MultilayerPerceptron } from './multilayer-perceptron.js';

export interface PreparedModel {
  mlp: MultilayerPerceptron;
  optimizer: Adam;
  lossObject: SparseCategoricalCrossentropy;
  trainMetric: SparseCategoricalAccuracy;
  valMetric: SparseCategoricalAccuracy;
}

/** The lab's prepare_model: the MLP, Adam, the loss on probabilities, and two accuracy metrics. */
export function prepareModel(options: { hidden: readonly number[]; learningRate: number; outputNeurons?: number }): PreparedModel {
  const mlp = new MultilayerPerceptron({ hidden: options.hidden, outputNeurons: options.outputNeurons ?? 10 });
  const optimizer = new Adam({ learningRate: options.learningRate });
  // fromLogits: false, as the model already applies a softmax over its last layer
  const lossObject = new SparseCategoricalCrossentropy({ fromLogits: false });
  const trainMetric = new SparseCategoricalAccuracy();
  const valMetric = new SparseCategoricalAccuracy();
  return { mlp, optimizer, lossObject, trainMetric, valMetric };
}
