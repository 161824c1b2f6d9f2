// Layers that start their states at zeros of the batch's size (Keras's generic RNN over cells:
// LSTMCell, GRUCell, StackedRNNCells; ConvLSTM1D and ConvLSTM2D) leave as ONNX with the states
// made in-graph: ConstantOfShape at a shape whose batch is read from the input's Shape, so the
// graph stays batch-general. Trained, onnxruntime and the re-imported model agree with predict on
// every backend at batch sizes the exporter did not trace. A repeated value whose shape follows
// the batch other than as a multiple of it, and an int32 one (which may be a lookup's result
// computed on the host), are refused.
import * as pc from '@perceptron/core';
import pkg from 'onnx-proto';
import { afterAll, describe, expect, it } from 'vitest';
import { exportOnnx } from '../src/index.js';
import { expectTrainedExportMatchesPredict } from './export-check.js';
import { BACKENDS, DifferenceLog } from './models.js';

const SEQUENCE = [5, 3];

const CASES: { title: string; sample: number[]; make(): pc.Sequential }[] = [
  {
    title: 'RNN(LSTMCell, returnSequences) → RNN(GRUCell) → Dense',
    sample: SEQUENCE,
    make: () => new pc.Sequential([
      pc.Input({ shape: SEQUENCE }),
      new pc.RNN(new pc.LSTMCell(4), { returnSequences: true }),
      new pc.RNN(new pc.GRUCell(3)),
      new pc.Dense(2),
    ]),
  },
  {
    title: 'RNN(StackedRNNCells [SimpleRNNCell, LSTMCell], goBackwards) → Dense',
    sample: SEQUENCE,
    make: () => new pc.Sequential([
      pc.Input({ shape: SEQUENCE }),
      new pc.RNN(new pc.StackedRNNCells([new pc.SimpleRNNCell(4), new pc.LSTMCell(3)]), { goBackwards: true }),
      new pc.Dense(2),
    ]),
  },
  {
    title: 'ConvLSTM1D 2 same → Flatten → Dense',
    sample: [4, 6, 2],
    make: () => new pc.Sequential([
      pc.Input({ shape: [4, 6, 2] }),
      new pc.ConvLSTM1D(3, 2, { padding: 'same' }),
      new pc.Flatten(),
      new pc.Dense(2),
    ]),
  },
  {
    title: 'ConvLSTM2D 3×3 (returnSequences) → GlobalAveragePooling3D → Dense',
    sample: [3, 5, 5, 2],
    make: () => new pc.Sequential([
      pc.Input({ shape: [3, 5, 5, 2] }),
      new pc.ConvLSTM2D(2, 3, { returnSequences: true }),
      new pc.GlobalAveragePooling3D(),
      new pc.Dense(2),
    ]),
  },
];

const logs = CASES.map((c) => new DifferenceLog(c.title));
afterAll(() => logs.forEach((log) => log.print()));

const { onnx } = pkg;
interface Node { opType: string; input: string[]; output: string[] }
const nodesOf = (bytes: Uint8Array) => (onnx.ModelProto.toObject(onnx.ModelProto.decode(bytes), { arrays: true }) as { graph: { node: Node[] } }).graph.node;

/** A layer adding 2s, of `valueDtype`, to `copies` copies of its input [batch, 3] stacked along the batch. */
class AddsTwos extends pc.Layer {
  constructor(readonly copies: number, readonly valueDtype: 'float32' | 'int32') {
    super();
  }
  override call(x: pc.Tensor): pc.Tensor {
    const twos = pc.fill([this.copies * x.shape[0]!, 3], 2, this.valueDtype);
    return pc.add(pc.concat(new Array<pc.Tensor>(this.copies).fill(x), 0), pc.cast(twos, 'float32'));
  }
}

/** A layer appending batch + 1 rows of 2s to its input [batch, 3]. */
class AppendsTwos extends pc.Layer {
  override call(x: pc.Tensor): pc.Tensor {
    return pc.concat([x, pc.fill([x.shape[0]! + 1, 3], 2)], 0);
  }
}

describe('zero states of the batch size', () => {
  it("are made in-graph: each RNN's zeros a ConstantOfShape whose shape reads the input's Shape", async () => {
    await pc.setBackend('naive');
    const model = CASES[0]!.make();
    const nodes = nodesOf(exportOnnx(model));
    const filled = nodes.filter((n) => n.opType === 'ConstantOfShape');
    // The LSTM cell's h and c and the GRU cell's h.
    expect(filled.length).toBe(3);
    for (const node of filled) {
      const concat = nodes.find((n) => n.output[0] === node.input[0])!;
      expect(concat.opType).toBe('Concat');
      const batch = nodes.find((n) => n.output[0] === concat.input[0])!;
      expect(batch.opType).toBe('Slice');
      expect(nodes.find((n) => n.output[0] === batch.input[0])).toMatchObject({ opType: 'Shape', input: ['input'] });
    }
    model.dispose();
  });

  it('makes a repeated value of a multiple of the batch size rows, and refuses one that follows the batch otherwise, naming the dimension', async () => {
    await pc.setBackend('naive');
    const doubled = new pc.Sequential([pc.Input({ shape: [3] }), new AddsTwos(2, 'float32')]);
    const filled = nodesOf(exportOnnx(doubled)).filter((n) => n.opType === 'ConstantOfShape');
    expect(filled.length).toBe(1);
    const appended = new pc.Sequential([pc.Input({ shape: [3] }), new AppendsTwos()]);
    expect(() => exportOnnx(appended)).toThrow(/op 'fill' in layer 'appends_twos(_\d+)?' .*dimension 0 of its shape \[3,3\] changed with the batch size but is not a multiple of it \(3 at batch 2, 4 at batch 3\)/);
    doubled.dispose();
    appended.dispose();
  });

  it('keeps an int32 repeated value a constant, which cannot follow the batch (a host lookup could have computed it)', async () => {
    await pc.setBackend('naive');
    const model = new pc.Sequential([pc.Input({ shape: [3] }), new AddsTwos(1, 'int32')]);
    expect(() => exportOnnx(model)).toThrow(/one of its constant operands depends on the batch size/);
    model.dispose();
  });
});

describe.each(BACKENDS)('on %s', (backend) => {
  it.each(CASES.map((c, i) => ({ ...c, log: logs[i]! })))('$title: after a little training, onnxruntime and the imported model match predict', async ({ make, sample, log }) => {
    await pc.setBackend(backend);
    pc.setSeed(41);
    await expectTrainedExportMatchesPredict(make, sample, 2, log, backend);
  });
});
