// demo:sequences: MNIST digits read column by column as padded sequences (column-sequences.ts),
// learnt by two Keras sequence models whose masks skip the padding: an LSTM, and a small
// transformer block (column and position features, multi-head self-attention, a masked mean).
// Both are trained as demo:cnn is; the attention of the second is drawn. Called by
// src/bin/demo-sequences.ts.
import { join } from 'node:path';
import * as pc from '@perceptron/core';
import { loadMnist } from '../mnist/load-mnist.js';
import { splitMnist, type MnistArrays } from '../mnist/split.js';
import { writeChartPng } from '../plot/write-png.js';
import { attentionPictureSpec, type AttentionSample } from './attention-picture.js';
import { columnSequences, IMAGE_SIDE, PADDING, type ColumnSequences } from './column-sequences.js';
import { trainOnMnist, type TrainingDemoResult, type TrainingDemoSettings } from './mnist-training.js';
import type { Print } from './print.js';

/** How many test digits the attention picture shows. */
const PICTURED = 6;

/** A split's flattened sequences as the models take them: [count, 28 steps, 28 pixels]. */
export function sequenceSteps(rows: pc.Tensor): pc.Tensor {
  return pc.reshape(rows, [-1, IMAGE_SIDE, IMAGE_SIDE]);
}

/** Each step's place in its sequence, 1, 2, …, and 0 at padding (a step whose pixels are all PADDING): [count, 28] int32. */
export function stepPositions(steps: pc.Tensor): pc.Tensor {
  return pc.tidy(() => {
    const isData = pc.cast(pc.greater(pc.max(steps, -1), PADDING), 'int32');
    return pc.mul(isData, pc.range(1, IMAGE_SIDE + 1, 1, 'int32'));
  });
}

/** Masking → LSTM(64) → the classifier: the LSTM keeps its state through the padding steps, so it reads each digit's columns alone. */
export function lstmReader(): pc.Model {
  const columns = pc.Input({ shape: [IMAGE_SIDE, IMAGE_SIDE], name: 'columns' });
  const steps = new pc.Masking({ maskValue: PADDING, name: 'padding' }).apply(columns);
  const read = new pc.LSTM(64, { name: 'reader' }).apply(steps);
  const digits = new pc.Dense(10, { activation: 'softmax', name: 'digits' }).apply(read);
  return new pc.Model({ inputs: columns, outputs: digits, name: 'lstm_reader' });
}

/**
 * A transformer block over the columns: each step's pixels projected to 64 features and added to
 * an embedding of its position (Embedding with maskZero: position 0 is padding), four heads of
 * self-attention with a residual and LayerNormalization, a per-step Dense, then the mean over
 * the data steps (GlobalAveragePooling1D reads the mask) and the classifier. The attention layer
 * also gives its weights, for `attentionWeightsModel`.
 */
export function attentionReader(): pc.Model {
  const columns = pc.Input({ shape: [IMAGE_SIDE, IMAGE_SIDE], name: 'columns' });
  const positions = pc.Input({ shape: [IMAGE_SIDE], dtype: 'int32', name: 'positions' });
  const pixels = new pc.Masking({ maskValue: PADDING, name: 'padding' }).apply(columns);
  const content = new pc.Dense(64, { name: 'column_features' }).apply(pixels);
  const place = new pc.Embedding({ inputDim: IMAGE_SIDE + 1, outputDim: 64, maskZero: true, name: 'position_features' }).apply(positions);
  const tokens = new pc.Add({ name: 'tokens' }).apply([content, place]);
  const attention = new pc.MultiHeadAttention({ numHeads: 4, keyDim: 16, returnAttentionScores: true, name: 'self_attention' });
  const [attended] = attention.apply([tokens, tokens]) as pc.SymbolicTensor[];
  const mixed = new pc.LayerNormalization({ name: 'normalized' }).apply(new pc.Add({ name: 'residual' }).apply([tokens, attended!]));
  const features = new pc.Dense(64, { activation: 'relu', name: 'step_features' }).apply(mixed);
  const pooled = new pc.GlobalAveragePooling1D({ name: 'mean_over_steps' }).apply(features);
  const digits = new pc.Dense(10, { activation: 'softmax', name: 'digits' }).apply(pooled);
  return new pc.Model({ inputs: [columns, positions], outputs: digits, name: 'attention_reader' });
}

/** The attention weights [batch, heads, query step, key step] of a trained attentionReader, as a model sharing its layers (not to be disposed: the reader owns them). */
export function attentionWeightsModel(reader: pc.Model): pc.Model {
  const inputs = ['columns', 'positions'].map((name) => reader.getLayer(name).output as pc.SymbolicTensor);
  const [, weights] = reader.getLayer('self_attention').output as pc.SymbolicTensor[];
  return new pc.Model({ inputs, outputs: weights! });
}

/** The first `count` test sequences, each head's attention averaged, and the reader's predictions. */
function attentionSamples(reader: pc.Model, test: ColumnSequences, count: number): AttentionSample[] {
  const weightsModel = attentionWeightsModel(reader);
  const stepCount = IMAGE_SIDE * IMAGE_SIDE;
  const results = pc.tidy(() => {
    const steps = sequenceSteps(pc.tensor(test.x.subarray(0, count * stepCount), [count, stepCount]));
    const inputs = [steps, stepPositions(steps)];
    return [pc.mean(weightsModel.predict(inputs) as pc.Tensor, 1), pc.argMax(reader.predict(inputs) as pc.Tensor, -1)];
  });
  const [weights, predicted] = results.map((t) => t.dataSync());
  pc.dispose(results);
  return Array.from({ length: count }, (_, i) => ({
    steps: test.x.subarray(i * stepCount, (i + 1) * stepCount),
    length: test.lengths[i]!,
    weights: weights.subarray(i * stepCount, (i + 1) * stepCount),
    label: test.y[i]!,
    predicted: predicted[i]!,
  }));
}

/** How long the digits are as sequences: each class's mean, and the range over the split. */
function describeLengths(split: ColumnSequences): string {
  const sums = new Float64Array(10);
  const counts = new Float64Array(10);
  split.lengths.forEach((length, i) => {
    sums[split.y[i]!]! += length;
    counts[split.y[i]!]! += 1;
  });
  const means = [...sums.keys()].filter((digit) => counts[digit]! > 0).map((digit) => `${digit}: ${(sums[digit]! / counts[digit]!).toFixed(1)}`);
  const [shortest, longest] = [Math.min(...split.lengths), Math.max(...split.lengths)];
  return `The training digits read column by column are ${shortest} to ${longest} steps long, padded to ${IMAGE_SIDE}.\nMean steps per digit: ${means.join(', ')}\n`;
}

export interface SequencesDemoResult {
  lstm: TrainingDemoResult;
  attention: TrainingDemoResult;
}

/**
 * Trains lstmReader, then attentionReader, on `arrays` (the lab's split of real MNIST unless
 * given) read as column sequences, and draws the attention of the second on six test digits into
 * `settings.out`/attention.png when `out` is given.
 */
export async function runSequencesDemo(settings: TrainingDemoSettings, print: Print, arrays: MnistArrays = splitMnist(loadMnist())): Promise<SequencesDemoResult> {
  const sequences = { train: columnSequences(arrays.train), validation: columnSequences(arrays.validation), test: columnSequences(arrays.test) };
  print(describeLengths(sequences.train));
  print('The LSTM reader:');
  const lstm = await trainOnMnist({ build: lstmReader, inputsOf: sequenceSteps }, sequences, settings, print);
  print('\nThe attention reader:');
  const attention = await trainOnMnist(
    {
      build: attentionReader,
      inputsOf: (rows) => {
        const steps = sequenceSteps(rows);
        return [steps, stepPositions(steps)];
      },
      afterTraining: async (reader) => {
        if (settings.out === undefined) return;
        const file = join(settings.out, 'attention.png');
        const samples = attentionSamples(reader, sequences.test, Math.min(PICTURED, sequences.test.count));
        await writeChartPng(file, attentionPictureSpec(samples));
        print(`Wrote ${file}`);
      },
    },
    sequences,
    settings,
    print,
  );
  return { lstm, attention };
}
