// A small CNN classifier in the shape torch.onnx writes it — Conv → Relu → MaxPool →
// x.view(x.size(0), -1) (Shape → Gather → Unsqueeze → Concat → Reshape) → Gemm (transB 1) →
// Relu → Dropout → Gemm → Softmax, with a symbolic batch — and the same with Flatten: imported,
// it matches onnxruntime at two batch sizes on every backend, and fine-tunes, since its float
// initializers are the imported model's weights.
import * as pc from '@perceptron/core';
import { afterAll, describe, expect, it } from 'vitest';
import { importOnnx } from '../src/index.js';
import { BACKENDS } from './models.js';
import { constant, expectGraphMatchesOnnxruntime, graphBytes, type GraphNode, type Literal } from './onnx-graph.js';
import { int, ints, uniform } from './single-node-graph.js';

const IMAGE = [1, 8, 8];
const CLASSES = 3;

const weight = (name: string, shape: number[], seed: number, scale: number): Literal =>
  ({ name, shape, values: Array.from(uniform(shape.reduce((a, b) => a * b, 1), seed), (v) => v * scale) });

/** Nodes as torch.onnx names them: /module/Op, reading onnx::Op_n constants. */
const torchNode = (name: string, opType: string, inputs: string[], outputs: string[], attribute: GraphNode['attribute'] = []): GraphNode => ({ name, opType, inputs, outputs, attribute });

/** torch.flatten(x, 1) written as `view` (the Shape pattern) or as Flatten. */
function classifier(flatten: 'view' | 'Flatten'): Uint8Array {
  const view: GraphNode[] = [
    torchNode('/Shape', 'Shape', ['/pool/MaxPool_output_0'], ['/Shape_output_0']),
    constant({ name: '/Constant_output_0', shape: [], values: [0] }),
    torchNode('/Gather', 'Gather', ['/Shape_output_0', '/Constant_output_0'], ['/Gather_output_0'], [int('axis', 0)]),
    constant({ name: 'onnx::Unsqueeze_20', shape: [1], values: [0] }),
    torchNode('/Unsqueeze', 'Unsqueeze', ['/Gather_output_0', 'onnx::Unsqueeze_20'], ['/Unsqueeze_output_0']),
    constant({ name: '/Constant_1_output_0', shape: [1], values: [-1] }),
    torchNode('/Concat', 'Concat', ['/Unsqueeze_output_0', '/Constant_1_output_0'], ['/Concat_output_0'], [int('axis', 0)]),
    torchNode('/Reshape', 'Reshape', ['/pool/MaxPool_output_0', '/Concat_output_0'], ['/Reshape_output_0']),
  ];
  return graphBytes({
    nodes: [
      torchNode('/conv/Conv', 'Conv', ['input', 'conv.weight', 'conv.bias'], ['/conv/Conv_output_0'], [ints('kernel_shape', [3, 3]), ints('pads', [1, 1, 1, 1]), ints('strides', [1, 1]), ints('dilations', [1, 1]), int('group', 1)]),
      torchNode('/relu/Relu', 'Relu', ['/conv/Conv_output_0'], ['/relu/Relu_output_0']),
      torchNode('/pool/MaxPool', 'MaxPool', ['/relu/Relu_output_0'], ['/pool/MaxPool_output_0'], [ints('kernel_shape', [2, 2]), ints('strides', [2, 2]), ints('pads', [0, 0, 0, 0]), int('ceil_mode', 0)]),
      ...(flatten === 'view' ? view : [torchNode('/Flatten', 'Flatten', ['/pool/MaxPool_output_0'], ['/Reshape_output_0'], [int('axis', 1)])]),
      torchNode('/fc1/Gemm', 'Gemm', ['/Reshape_output_0', 'fc1.weight', 'fc1.bias'], ['/fc1/Gemm_output_0'], [int('transB', 1)]),
      torchNode('/relu_1/Relu', 'Relu', ['/fc1/Gemm_output_0'], ['/relu_1/Relu_output_0']),
      constant({ name: '/dropout/Constant_output_0', shape: [], values: [0.25], type: 'float' }),
      torchNode('/dropout/Dropout', 'Dropout', ['/relu_1/Relu_output_0', '/dropout/Constant_output_0'], ['/dropout/Dropout_output_0']),
      torchNode('/fc2/Gemm', 'Gemm', ['/dropout/Dropout_output_0', 'fc2.weight', 'fc2.bias'], ['logits'], [int('transB', 1)]),
      torchNode('/softmax/Softmax', 'Softmax', ['logits'], ['output'], [int('axis', 1)]),
    ],
    inputs: [{ name: 'input', shape: ['batch_size', ...IMAGE] }],
    outputs: [{ name: 'output', shape: ['batch_size', CLASSES] }],
    initializers: [
      weight('conv.weight', [4, 1, 3, 3], 1, 0.5), weight('conv.bias', [4], 2, 0.1),
      weight('fc1.weight', [16, 64], 3, 0.25), weight('fc1.bias', [16], 4, 0.1),
      weight('fc2.weight', [CLASSES, 16], 5, 0.5), weight('fc2.bias', [CLASSES], 6, 0.1),
    ],
  });
}

const images = (batch: number, seed: number) => pc.tensor(uniform(batch * IMAGE.reduce((a, b) => a * b, 1), seed), [batch, ...IMAGE]);

let largest = 0;
describe.each(BACKENDS)('on %s', (backend) => {
  it.each(['view', 'Flatten'] as const)('the CNN with %s matches onnxruntime at batch 2 and 7', async (flatten) => {
    await pc.setBackend(backend);
    for (const batch of [2, 7]) {
      const x = images(batch, 10 + batch);
      try {
        largest = Math.max(largest, await expectGraphMatchesOnnxruntime(classifier(flatten), [x]));
      } finally {
        x.dispose();
      }
    }
  });

  it('the imported CNN fine-tunes: its weights are the float initializers, and a fit changes its loss', async () => {
    await pc.setBackend(backend);
    const model = importOnnx(classifier('view'), { name: 'cnn' });
    const x = images(12, 20);
    const y = pc.oneHot(pc.tensor([0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2], [12], 'int32'), CLASSES);
    try {
      expect(model.trainableWeights.map((w) => w.name).sort()).toEqual(['conv.bias', 'conv.weight', 'fc1.bias', 'fc1.weight', 'fc2.bias', 'fc2.weight'].map((name) => `cnn/${name}`));
      model.compile({ optimizer: new pc.SGD({ learningRate: 0.5 }), loss: 'categoricalCrossentropy' });
      const loss = async () => (await model.evaluate(x, y, { verbose: 0 }))[0]!;
      const before = await loss();
      const history = await model.fit(x, y, { epochs: 3, batchSize: 12, verbose: 0 });
      const after = await loss();
      expect(history.history.loss).toHaveLength(3);
      expect(after).toBeLessThan(before);
    } finally {
      pc.dispose([x, y]);
      model.dispose();
    }
  });
});

afterAll(() => console.log(`torch-style CNN: largest difference to onnxruntime ${largest.toExponential(2)}`));
