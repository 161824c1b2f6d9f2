// Segment sums whose result follows the batch size leave as ONNX with the batch symbolic.
// Equalization: each image's histograms count into
// their own run of slots, whose offsets (an int32 range over [batch, 1, 1, channels], a running
// sum of ones) and whose
// number (a multiple of the batch) the graph makes from the input's Shape at run time, so a
// ScatterND adds the pixels into zeros of a batch-sized shape. Inside trained models, onnxruntime
// and the re-imported model agree with predict on every backend at batch sizes the exporter did
// not trace. So do they for a custom layer summing the batch's columns into segments (a result
// [segments, batch]). Before opset 16 (no ScatterND reduction) the export is refused.
import * as pc from '@perceptron/core';
import pkg from 'onnx-proto';
import { afterAll, describe, expect, it } from 'vitest';
import { exportOnnx } from '../src/index.js';
import { expectTrainedExportMatchesPredict } from './export-check.js';
import { BACKENDS, DifferenceLog } from './models.js';

const SAMPLE = [5, 6, 3];
// sampleBatch's values lie in [-2, 2).
const RANGE = [-2, 2] as const;

/** Sums x's features in pairs of segments (0, 1, 0, 1, 0, 1), column by column: [2, batch], transposed back. */
class PairedFeatures extends pc.Layer {
  override call(x: pc.Tensor): pc.Tensor {
    return pc.transpose(pc.unsortedSegmentSum(pc.transpose(x, [1, 0]), pc.tensor([0, 1, 0, 1, 0, 1], [6], 'int32'), 2), [1, 0]);
  }
}

const CASES: { title: string; make(): pc.Sequential }[] = [
  {
    title: 'Equalization (32 bins) → Conv2D 3×3 → GlobalAveragePooling2D → Dense',
    make: () => new pc.Sequential([
      pc.Input({ shape: SAMPLE }),
      new pc.Equalization({ valueRange: RANGE, bins: 32 }),
      new pc.Conv2D(4, 3, { activation: 'relu' }),
      new pc.GlobalAveragePooling2D(),
      new pc.Dense(2),
    ]),
  },
  {
    // 256 bins over 30 pixels: most bins empty, the table's steps large.
    title: 'Dense (per pixel) → Equalization (256 bins) → Flatten → Dense',
    make: () => new pc.Sequential([
      pc.Input({ shape: SAMPLE }),
      new pc.Dense(2, { activation: 'tanh' }),
      new pc.Equalization({ valueRange: [-1, 1] }),
      new pc.Flatten(),
      new pc.Dense(2),
    ]),
  },
  {
    title: 'Flatten → Dense → segment sums of its columns [2, batch] (custom layer) → Dense',
    make: () => new pc.Sequential([
      pc.Input({ shape: SAMPLE }),
      new pc.Flatten(),
      new pc.Dense(6, { activation: 'tanh' }),
      new PairedFeatures(),
      new pc.Dense(2),
    ]),
  },
];

const logs = CASES.map((c) => new DifferenceLog(c.title));
afterAll(() => logs.forEach((log) => log.print()));

const { onnx } = pkg;
interface Node { opType: string; input: string[]; output: string[]; attribute: { name: string; i?: number }[] }
const nodesOf = (bytes: Uint8Array) => (onnx.ModelProto.toObject(onnx.ModelProto.decode(bytes), { longs: Number, arrays: true }) as { graph: { node: Node[] } }).graph.node;

describe('the exported graph', () => {
  it("counts the histograms by one ScatterND into zeros whose shape, and the slots' offsets, are read from the input's Shape", async () => {
    await pc.setBackend('naive');
    const model = CASES[0]!.make();
    const nodes = nodesOf(exportOnnx(model));
    const producer = (name: string) => nodes.find((n) => n.output.includes(name))!;
    /** The op types `name` depends on, and the values without a producer it reads, walking back through the producers. */
    const ancestry = (name: string): { types: Set<string>; sources: Set<string> } => {
      const [types, sources] = [new Set<string>(), new Set<string>()];
      const pending = [name];
      for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
        const node = producer(next);
        if (!node) sources.add(next);
        else {
          types.add(node.opType);
          pending.push(...node.input);
        }
      }
      return { types, sources };
    };
    const scatters = nodes.filter((n) => n.opType === 'ScatterND');
    expect(scatters.length).toBe(1);
    const zeros = producer(scatters[0]!.input[0]!);
    expect(zeros.opType).toBe('ConstantOfShape');
    // The number of slots: the batch size (from the Shape of the pixels' ones, which the input's Shape made) times channels · bins.
    const slots = ancestry(zeros.input[0]!);
    expect([[...slots.types].sort(), slots.sources.has('input')]).toEqual([['ConstantOfShape', 'Div', 'Mul', 'Shape', 'Slice'], true]);
    // The offsets of each image's slots: an exclusive running sum of ones at [batch, 1, 1, channels] (the cdf's is inclusive).
    const exclusive = (n: Node) => n.attribute.some((a) => a.name === 'exclusive' && a.i === 1);
    const offsets = nodes.filter((n) => n.opType === 'CumSum' && exclusive(n)).map((n) => ancestry(n.output[0]!));
    expect(offsets.map((o) => [o.types.has('Shape'), o.sources.has('input')])).toEqual([[true, true]]);
    model.dispose();
  });

  it('is refused before opset 16, naming the segment sum and the opset', async () => {
    await pc.setBackend('naive');
    const model = CASES[0]!.make();
    expect(() => exportOnnx(model, { opset: 15 })).toThrow(/op 'unsortedSegmentSum' in layer 'equalization(_\d+)?'.*number of segments follows the batch size, which needs opset 16 or later .*got opset 15/);
    model.dispose();
  });
});

describe.each(BACKENDS)('on %s', (backend) => {
  it.each(CASES.map((c, i) => ({ ...c, log: logs[i]! })))('$title: after a little training, onnxruntime and the imported model match predict', async ({ make, log }) => {
    await pc.setBackend(backend);
    pc.setSeed(47);
    await expectTrainedExportMatchesPredict(make, SAMPLE, 2, log, backend);
  });
});
