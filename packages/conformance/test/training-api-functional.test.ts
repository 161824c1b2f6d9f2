// The functional API (Input, new Model({inputs, outputs}), layers applied to symbolic tensors)
// and the merge layers, against float64 computations written here: graph outputs from the
// weights, merges with broadcasting, gradients (closed forms and central finite differences),
// shared layers, nesting, training, saving, the summary, bad graphs and leaks.
import * as pc from '@perceptron/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { expectClose } from './training-api-helpers.js';
import { denseReference, draws, errorRecorder, expectSaveLoadRoundTrip, expectTrainingStepsLeakNothing, finiteDifferences, relu, rows, type Matrix } from './training-api-layer-checks.js';
import { valuesOf } from './support/values.js';
import { blobs, MODEL_BACKENDS } from './training-api-model-support.js';


/** Input(4) → Dense(5, relu) → Dense(4) → Add(input, ·) → Concatenate(·, first Dense) → Dense(3). */
function residualGraph() {
  const input = pc.Input({ shape: [4], name: 'features' });
  const hidden = new pc.Dense(5, { activation: 'relu', name: 'hidden' });
  const back = new pc.Dense(4, { name: 'back' });
  const head = new pc.Dense(3, { name: 'head' });
  const h = hidden.apply(input);
  const sum = new pc.Add({ name: 'skip' }).apply([input, back.apply(h)]);
  const joined = new pc.Concatenate({ name: 'joined' }).apply([sum, h]);
  const model = new pc.Model({ inputs: input, outputs: head.apply(joined), name: 'residual' });
  const reference = (x: Matrix): Matrix => {
    const hValues = denseReference(x, hidden, relu);
    const skip = denseReference(hValues, back).map((row, r) => row.map((v, j) => v + x[r]![j]!));
    return denseReference(skip.map((row, r) => [...row, ...hValues[r]!]), head);
  };
  return { model, reference };
}

/** Each merge layer's float64 meaning on rows of equal length. */
const MERGES: { name: string; make: () => pc.Merge; inputs: number; combine: (values: number[]) => number }[] = [
  { name: 'Add', make: () => new pc.Add(), inputs: 3, combine: (v) => v.reduce((a, b) => a + b) },
  { name: 'Subtract', make: () => new pc.Subtract(), inputs: 2, combine: ([a, b]) => a! - b! },
  { name: 'Multiply', make: () => new pc.Multiply(), inputs: 3, combine: (v) => v.reduce((a, b) => a * b) },
  { name: 'Average', make: () => new pc.Average(), inputs: 3, combine: (v) => v.reduce((a, b) => a + b) / v.length },
  { name: 'Maximum', make: () => new pc.Maximum(), inputs: 2, combine: (v) => Math.max(...v) },
  { name: 'Minimum', make: () => new pc.Minimum(), inputs: 3, combine: (v) => Math.min(...v) },
];

const recordError = errorRecorder('functional');

for (const backend of MODEL_BACKENDS) {
  describe(`the functional API on ${backend}`, () => {
    beforeEach(async () => {
      await pc.setBackend(backend);
      pc.setSeed(91195003);
    });

    it('a graph with a skip connection and a concatenation computes what its weights give in float64', () => {
      const { model, reference } = residualGraph();
      expect(model).toBeInstanceOf(pc.Functional);
      expect(model.layers.map((l) => l.name)).toEqual(['features', 'hidden', 'back', 'skip', 'joined', 'head']);
      expect(model.countParams()).toBe(4 * 5 + 5 + 5 * 4 + 4 + 9 * 3 + 3);
      const xValues = draws(6 * 4, 3, -2, 2);
      const y = model.predict(pc.tensor(xValues, [6, 4])) as pc.Tensor;
      const want = reference(rows(xValues, 4)).flat();
      recordError('graph forward', y.dataSync(), want);
      expect(y.shape).toEqual([6, 3]);
      expectClose(y.dataSync(), want, 1e-5, 1e-6);
      y.dispose();
      model.dispose();
    });

    describe.each(MERGES)('$name', ({ make, inputs, combine }) => {
      // Shapes [2, 3, 4] and [2, 1, 4] broadcast across the middle axis; a rank-2 [2, 4] input
      // gains that axis after the batch axis, as Keras aligns merge inputs.
      const shapes = [[2, 3, 4], [2, 1, 4], [2, 4]].slice(0, inputs);
      const values = shapes.map((s, i) => draws(s.reduce((a, b) => a * b, 1), 10 + i, -2, 2));
      const at = (k: number, b: number, r: number, c: number): number => {
        const s = shapes[k]!;
        return s.length === 2 ? values[k]![b * 4 + c]! : values[k]![(b * s[1]! + (s[1] === 1 ? 0 : r)) * 4 + c]!;
      };
      const reference = (): number[] => {
        const out: number[] = [];
        for (let b = 0; b < 2; b++) for (let r = 0; r < 3; r++) for (let c = 0; c < 4; c++) out.push(combine(values.map((_, k) => at(k, b, r, c))));
        return out;
      };

      it('merges broadcastable inputs as the float64 rule says, and its symbolic shape agrees', () => {
        const layer = make();
        const y = pc.tidy(() => layer.apply(values.map((v, k) => pc.tensor(v, shapes[k]!))));
        expect(y.shape).toEqual([2, 3, 4]);
        recordError('merge forward', y.dataSync(), reference());
        expectClose(y.dataSync(), reference(), 1e-6, 1e-7);
        const symbolic = layer.apply(shapes.map((s) => pc.Input({ shape: s.slice(1) })));
        expect(symbolic.shape).toEqual([null, 3, 4]);
        y.dispose();
      });

      it('gradients w.r.t. every input match central finite differences', () => {
        const weights = draws(2 * 3 * 4, 20, -1, 1);
        const xs = values.map((v, k) => pc.tensor(v, shapes[k]!));
        const tape = new pc.GradientTape();
        const layer = make();
        const loss = tape.record(() => {
          xs.forEach((x) => tape.watch(x));
          return pc.sum(pc.mul(layer.apply(xs), pc.tensor(weights, [2, 3, 4])));
        });
        const grads = tape.gradient(loss, xs);
        values.forEach((v, k) => {
          const want = finiteDifferences(v, weights, (moved) => {
            const saved = values[k]!;
            values[k] = moved;
            try {
              return reference();
            } finally {
              values[k] = saved;
            }
          });
          recordError('merge gradient', grads[k]!.dataSync(), want);
          expectClose(grads[k]!.dataSync(), want, 1e-3, 1e-3);
        });
        pc.dispose([...xs, loss, ...grads]);
      });
    });

    describe.each([
      { name: 'vectors, axes 1', shapes: [[3, 4], [3, 4]], axes: [1, 1] as [number, number], normalize: false },
      { name: 'matrices, axes [2, 1] (a batched product)', shapes: [[2, 3, 4], [2, 4, 5]], axes: [2, 1] as [number, number], normalize: false },
      { name: 'rank 3 with rank 2, axes [1, 1]', shapes: [[2, 3, 4], [2, 3]], axes: [1, 1] as [number, number], normalize: false },
      { name: 'vectors normalized (cosine similarity), axes -1', shapes: [[3, 4], [3, 4]], axes: [-1, -1] as [number, number], normalize: true },
    ])('Dot: $name', ({ shapes, axes, normalize }) => {
      const values = shapes.map((s, k) => draws(s.reduce((a, b) => a * b, 1), 50 + k, -2, 2));
      /** Σ_k a[b, ..., k, ...]·b[b, ..., k, ...] in float64, a's other axes then b's, each input normalized along its axis first if asked. */
      const reference = (inputs: number[][]): { shape: number[]; values: number[] } => {
        const axisOf = (k: number) => (axes[k]! < 0 ? axes[k]! + shapes[k]!.length : axes[k]!);
        const strides = (shape: number[]) => shape.map((_, i) => shape.slice(i + 1).reduce((a, b) => a * b, 1));
        const at = (k: number, index: number[]) => index.reduce((flat, v, i) => flat + v * strides(shapes[k]!)[i]!, 0);
        const norms = inputs.map((v, k) => (index: number[]) => {
          if (!normalize) return 1;
          let total = 0;
          for (let t = 0; t < shapes[k]![axisOf(k)]!; t++) total += v[at(k, index.map((d, i) => (i === axisOf(k) ? t : d)))]! ** 2;
          return Math.sqrt(Math.max(total, 1e-12));
        });
        const rest = (k: number) => shapes[k]!.map((d, i) => ({ d, i })).filter(({ i }) => i !== 0 && i !== axisOf(k));
        const coordinates = (dims: number[]): number[][] => dims.reduce<number[][]>((all, d) => all.flatMap((c) => Array.from({ length: d }, (_, j) => [...c, j])), [[]]);
        const out: number[] = [];
        for (let b = 0; b < shapes[0]![0]!; b++) {
          for (const i of coordinates(rest(0).map((r) => r.d))) {
            for (const j of coordinates(rest(1).map((r) => r.d))) {
              const indexIn = (k: number, free: number[], t: number) => {
                const index = new Array<number>(shapes[k]!.length).fill(0);
                index[0] = b;
                index[axisOf(k)] = t;
                rest(k).forEach((r, n) => (index[r.i] = free[n]!));
                return index;
              };
              let total = 0;
              for (let t = 0; t < shapes[0]![axisOf(0)]!; t++) {
                const [ia, ib] = [indexIn(0, i, t), indexIn(1, j, t)];
                total += (inputs[0]![at(0, ia)]! / norms[0]!(ia)) * (inputs[1]![at(1, ib)]! / norms[1]!(ib));
              }
              out.push(total);
            }
          }
        }
        const shape = [shapes[0]![0]!, ...rest(0).map((r) => r.d), ...rest(1).map((r) => r.d)];
        return { shape: shape.length === 1 ? [shape[0]!, 1] : shape, values: out };
      };

      it('sums the products over the axes as the float64 loop does, in the shape Keras gives', () => {
        const layer = new pc.Dot(axes, { normalize });
        const y = pc.tidy(() => layer.apply(values.map((v, k) => pc.tensor(v, shapes[k]!))));
        const want = reference(values);
        expect(y.shape).toEqual(want.shape);
        recordError('Dot forward', y.dataSync(), want.values);
        expectClose(y.dataSync(), want.values, 1e-5, 1e-6);
        expect(layer.apply(shapes.map((s) => pc.Input({ shape: s.slice(1) }))).shape).toEqual([null, ...want.shape.slice(1)]);
        const again = pc.deserializeLayer(pc.serializeLayer(layer)) as pc.Dot;
        expect([again.axes, again.normalize]).toEqual([layer.axes, normalize]);
        y.dispose();
      });

      it('gradients w.r.t. both inputs match central finite differences', () => {
        const xs = values.map((v, k) => pc.tensor(v, shapes[k]!));
        const want = reference(values);
        const weights = draws(want.values.length, 60, -1, 1);
        const tape = new pc.GradientTape();
        const loss = tape.record(() => {
          xs.forEach((x) => tape.watch(x));
          return pc.sum(pc.mul(new pc.Dot(axes, { normalize }).apply(xs), pc.tensor(weights, want.shape)));
        });
        const grads = tape.gradient(loss, xs);
        values.forEach((v, k) => {
          const expected = finiteDifferences(v, weights, (moved) => reference(values.map((old, n) => (n === k ? moved : old))).values);
          recordError('Dot gradient', grads[k]!.dataSync(), expected);
          expectClose(grads[k]!.dataSync(), expected, 1e-3, 1e-4);
        });
        pc.dispose([...xs, loss, ...grads]);
      });
    });

    it('Dot refuses axes that are not feature axes, or of different lengths', () => {
      const [a, b] = [pc.Input({ shape: [3] }), pc.Input({ shape: [4] })];
      expect(() => new pc.Dot(1, { name: 'dot' }).apply([a, b])).toThrow("Dot 'dot': expected the summed axes to have one length, got (None, 3) (axis 1: 3) and (None, 4) (axis 1: 4)");
      expect(() => new pc.Dot(0, { name: 'batch' }).apply([a, a])).toThrow("Dot 'batch': axes[0] must name a feature axis of input 0 (rank 2: 1 to 1, or -1 to -1), got 0");
      expect(() => new pc.Dot([1, 2, 3] as never)).toThrow('Dot: axes must be an integer or two of them, got [1,2,3]');
      expect(() => new pc.Dot(1).apply([a, a, a])).toThrow(/expected exactly 2 inputs, got 3/);
    });

    it('Concatenate joins along any axis and sums that axis symbolically', () => {
      const a = draws(2 * 3 * 2, 30, -1, 1);
      const b = draws(2 * 3 * 5, 31, -1, 1);
      const y = pc.tidy(() => new pc.Concatenate({ axis: 2 }).apply([pc.tensor(a, [2, 3, 2]), pc.tensor(b, [2, 3, 5])]));
      const want: number[] = [];
      for (let r = 0; r < 6; r++) want.push(...a.slice(r * 2, r * 2 + 2), ...b.slice(r * 5, r * 5 + 5));
      expect(y.shape).toEqual([2, 3, 7]);
      expect(valuesOf(y)).toEqual(want);
      const middle = new pc.Concatenate({ axis: 1 }).apply([pc.Input({ shape: [3, 2] }), pc.Input({ shape: [4, 2] })]);
      expect(middle.shape).toEqual([null, 7, 2]);
      y.dispose();
    });

    it('a layer shared by two branches has one set of weights, and its gradient sums both calls (closed form)', () => {
      const left = pc.Input({ shape: [3], name: 'left' });
      const right = pc.Input({ shape: [3], name: 'right' });
      const shared = new pc.Dense(2, { name: 'shared' });
      const model = new pc.Model({ inputs: [left, right], outputs: new pc.Subtract().apply([shared.apply(left), shared.apply(right)]) });
      expect(model.weights.map((w) => w.name)).toEqual(['shared/kernel', 'shared/bias']);
      expect(shared.inboundNodes).toHaveLength(2);
      const [a, b, w] = [draws(4 * 3, 40, -1, 1), draws(4 * 3, 41, -1, 1), draws(4 * 2, 42, -1, 1)];
      const tape = new pc.GradientTape();
      const loss = tape.record(() => pc.sum(pc.mul(model.apply([pc.tensor(a, [4, 3]), pc.tensor(b, [4, 3])]) as pc.Tensor, pc.tensor(w, [4, 2]))));
      const [dKernel, dBias] = tape.gradient(loss, model.trainableWeights);
      // Σ w·((a − b)·K): d/dK[i][j] = Σ_rows (a − b)[r][i]·w[r][j]; the bias cancels.
      const want = Array.from({ length: 6 }, (_, n) => {
        const [i, j] = [Math.floor(n / 2), n % 2];
        return [0, 1, 2, 3].reduce((s, r) => s + (a[r * 3 + i]! - b[r * 3 + i]!) * w[r * 2 + j]!, 0);
      });
      expectClose(dKernel!.dataSync(), want, 1e-5, 1e-6);
      expectClose(dBias!.dataSync(), [0, 0], 0, 1e-6);
      pc.dispose([loss, dKernel!, dBias!]);
      model.dispose();
    });

    it('layer.output cuts a feature extractor out of a model, sharing its weights', () => {
      // `new Model({inputs, outputs})` returns a Functional (checked above), typed as a Model.
      const model = residualGraph().model as pc.Functional;
      const hidden = model.getLayer('hidden');
      expect(model.getLayer(1)).toBe(hidden);
      expect(() => model.getLayer('nope')).toThrow("getLayer: model 'residual' has no layer \"nope\"; it has layers 'features', 'hidden', 'back', 'skip', 'joined', 'head'");
      expect(() => model.getLayer(6)).toThrow("getLayer: model 'residual' has no layer 6; it has 6 layers");
      const extractor = new pc.Model({ inputs: model.inputs, outputs: hidden.output });
      expect(extractor.weights).toEqual(hidden.weights);
      expect(hidden.input).toBe(model.inputs[0]);
      const xValues = draws(3 * 4, 5, -2, 2);
      const features = extractor.predict(pc.tensor(xValues, [3, 4])) as pc.Tensor;
      expectClose(features.dataSync(), denseReference(rows(xValues, 4), hidden as pc.Dense, relu).flat(), 1e-5, 1e-6);
      features.dispose();
      model.dispose();
    });

    it('a functional model is a layer of another, and its weights are tracked there', () => {
      const inner = residualGraph().model;
      const input = pc.Input({ shape: [4] });
      const scale = new pc.Dense(1, { name: 'scale' });
      const outer = new pc.Model({ inputs: input, outputs: scale.apply(inner.apply(input)) });
      expect(outer.weights).toEqual([...inner.weights, ...scale.weights]);
      const x = pc.tensor(draws(2 * 4, 6, -1, 1), [2, 4]);
      const direct = pc.tidy(() => scale.apply(inner.apply(x) as pc.Tensor));
      const viaModel = outer.predict(x) as pc.Tensor;
      expect(valuesOf(viaModel)).toEqual(valuesOf(direct));
      pc.dispose([x, direct, viaModel]);
      outer.dispose();
    });

    it('fit trains a graph with a skip connection on two blobs', async () => {
      const input = pc.Input({ shape: [2] });
      const h = new pc.Dense(8, { activation: 'relu' }).apply(input);
      const merged = new pc.Concatenate().apply([input, h]);
      const model = new pc.Model({ inputs: input, outputs: new pc.Dense(2, { activation: 'softmax' }).apply(merged) });
      model.compile({ optimizer: new pc.Adam({ learningRate: 0.05 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
      const { x, y } = blobs(128);
      const history = await model.fit(x, y, { epochs: 8, batchSize: 16, verbose: 0 });
      const losses = history.history.loss!;
      expect(losses[losses.length - 1]!).toBeLessThan(losses[0]! * 0.5);
      expect(history.history.accuracy![losses.length - 1]!).toBeGreaterThan(0.95);
      pc.dispose([x, y]);
      model.dispose();
    });

    it('saves and loads with its graph, a layer called twice included', async () => {
      const input = pc.Input({ shape: [3], name: 'source' });
      const twice = new pc.Dense(3, { activation: 'tanh', name: 'twice' });
      const first = twice.apply(input);
      const output = new pc.Average().apply([first, twice.apply(first)]);
      const model = new pc.Model({ inputs: input, outputs: output, name: 'recurrent_use' });
      await expectSaveLoadRoundTrip(model, pc.tensor(draws(5 * 3, 7, -1, 1), [5, 3]), model.layers);
      const config = model.getConfig() as { layers: { config: { name: string }; inboundNodes: { inputs: [string, number][] }[] }[] };
      expect(config.layers.map((l) => [l.config.name, l.inboundNodes.map((n) => n.inputs)])).toEqual([
        ['source', []],
        ['twice', [[['source', 0, 0]], [['twice', 0, 0]]]],
        [model.layers[2]!.name, [[['twice', 0, 0], ['twice', 1, 0]]]],
      ]);
      model.dispose();
    });

    it('the summary lists InputLayers and, for a graph that is not a chain, what each layer is connected to', () => {
      const { model } = residualGraph();
      const lines: string[] = [];
      model.summary((line) => lines.push(line));
      expect(lines[2]).toMatch(/Layer \(type\).*Output Shape.*Param #.*Connected to/);
      const row = (name: string) => lines.find((line) => line.startsWith(`│ ${name} `))!;
      expect(row('features')).toMatch(/\(None, 4\).*│ +0 │ -/);
      expect(row('skip')).toMatch(/\(None, 4\).*│ +0 │ features\[0\]\[0\],/);
      expect(row('head')).toMatch(/\(None, 3\).*│ +30 │ joined\[0\]\[0\]/);
      expect(lines).toContain(' Total params: 79 (316.00 B)');

      const input = pc.Input({ shape: [4] });
      const chain = new pc.Model({ inputs: input, outputs: new pc.Dense(2).apply(input) });
      const chainLines: string[] = [];
      chain.summary((line) => chainLines.push(line));
      expect(chainLines[2]).not.toMatch(/Connected to/);
      expect(chainLines.filter((line) => line.includes('(InputLayer)'))).toHaveLength(1);
      expect(() => model.summary(() => {}, { positions: [0.5, 0.8, 1] })).toThrow('summary: expected 4 positions, one per column, got [0.5,0.8,1]');
      model.dispose();
      chain.dispose();
    });

    it('training steps leak no tensor, and tracing a graph leaves only its weights', () => {
      const before = pc.memory().numTensors;
      const { model } = residualGraph();
      expect(pc.memory().numTensors).toBe(before + model.weights.length);
      expectTrainingStepsLeakNothing(model, pc.tensor(draws(4 * 4, 8, -1, 1), [4, 4]));
    });

    it('refuses a bad graph with an error naming what was expected and what was given', () => {
      const input = pc.Input({ shape: [3], name: 'known' });
      const stray = pc.Input({ shape: [3], name: 'stray' });
      const output = new pc.Add().apply([input, stray]);
      expect(() => new pc.Model({ inputs: input, outputs: output })).toThrow(/the output depends on <SymbolicTensor shape=\(None, 3\), dtype=float32, source=stray\[0\]\[0\]>, which is not among the model's inputs/);
      expect(() => new pc.Model({ inputs: input, outputs: [] as never })).toThrow(/expected outputs to be a SymbolicTensor .* got an empty list/);
      const dense = new pc.Dense(2);
      expect(() => new pc.Model({ inputs: dense.apply(input), outputs: dense.apply(input) })).toThrow(/inputs\[0\] must come from Input\(\), got the output of layer/);
      const a = new pc.Dense(2, { name: 'same' }).apply(input);
      const b = new pc.Dense(2, { name: 'same' }).apply(input);
      expect(() => new pc.Model({ inputs: input, outputs: new pc.Add().apply([a, b]) })).toThrow(/layer names must be unique .* two layers named 'same'/);

      const model = new pc.Model({ inputs: input, outputs: a });
      expect(() => model.apply([pc.ones([1, 3]), pc.ones([1, 3])])).toThrow(/expected 1 input tensor .* got 2/);
      expect(() => model.predict(pc.ones([2, 4]))).toThrow(/expects inputs of shape \[-1,3\] .*got \[2,4\]/);
      expect(() => new pc.Dense(2).apply([input, input])).toThrow(/\(Dense\) takes one tensor, got a list of 2/);
      expect(() => new pc.Add().apply([input, pc.ones([1, 3]) as never])).toThrow(/expected a non-empty list of Tensors or of SymbolicTensors, got 1 symbolic and 1 real tensors/);
      expect(() => new pc.Sequential([a as never])).toThrow(/Sequential.add: expected a Layer or an Input\(\), got <SymbolicTensor/);
    });

    it('refuses merges of inputs that do not fit, when the graph is made', () => {
      const [a, b, c] = [pc.Input({ shape: [3] }), pc.Input({ shape: [4] }), pc.Input({ shape: [2, 3] })];
      expect(() => new pc.Add({ name: 'plus' }).apply([a, b])).toThrow("Add 'plus': expected inputs whose shapes broadcast, got (None, 3), (None, 4) (axis 1: 3 vs 4)");
      expect(() => new pc.Subtract({ name: 'minus' }).apply([a, a, a])).toThrow("Subtract 'minus': expected exactly 2 inputs, got 3");
      expect(() => new pc.Add({ name: 'lone' }).apply(a)).toThrow("Add 'lone': expected a list of inputs, got one of shape [-1,3]");
      expect(() => new pc.Concatenate({ name: 'cat' }).apply([a, c])).toThrow("Concatenate 'cat': expected inputs of one rank, got (None, 3), (None, 2, 3)");
      expect(() => new pc.Concatenate({ name: 'cat1', axis: 1 }).apply([c, pc.Input({ shape: [2, 4] })])).toThrow(/Concatenate 'cat1': expected inputs that agree on every axis but 1 \(axis 2 differs\)/);
      expect(() => new pc.Concatenate({ axis: 1.5 })).toThrow('Concatenate: axis must be an integer, got 1.5');
    });

    describe('a model of two inputs', () => {
      /** Two views of the blobs: the features, and the same features reversed and scaled. */
      function twoViews(n: number, seed: number): { x: [pc.Tensor, pc.Tensor]; y: pc.Tensor } {
        const { x, y } = blobs(n, 2, seed);
        const other = pc.tidy(() => pc.mul(pc.concat([pc.slice(x, [0, 1], [n, 1]), pc.slice(x, [0, 0], [n, 1])], 1), 0.5));
        return { x: [x, other], y };
      }

      function twoInputModel(): pc.Functional {
        const a = pc.Input({ shape: [2], name: 'view_a' });
        const b = pc.Input({ shape: [2], name: 'view_b' });
        const joined = new pc.Concatenate().apply([new pc.Dense(4, { activation: 'relu' }).apply(a), new pc.Dense(4, { activation: 'relu' }).apply(b)]);
        const model = new pc.Functional({ inputs: [a, b], outputs: new pc.Dense(2, { activation: 'softmax' }).apply(joined) });
        model.compile({ optimizer: new pc.Adam({ learningRate: 0.05 }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
        return model;
      }

      it('fit, evaluate and predict take x as a list, also through validationSplit, validationData and small batches', async () => {
        const model = twoInputModel();
        const train = twoViews(96, 1);
        const validation = twoViews(32, 2);
        const history = await model.fit(train.x, train.y, { epochs: 6, batchSize: 16, validationData: [validation.x, validation.y], verbose: 0 });
        expect(history.history.val_accuracy!.at(-1)!).toBeGreaterThan(0.9);
        const split = await model.fit(train.x, train.y, { epochs: 1, batchSize: 16, validationSplit: 0.25, verbose: 0 });
        expect(split.history.val_loss).toHaveLength(1);
        const [loss, accuracy] = await model.evaluate(validation.x, validation.y, { batchSize: 10, verbose: 0 });
        expect(accuracy).toBeGreaterThan(0.9);
        // predict in batches of 5 rows gives what one call on all rows gives, and evaluate's loss.
        const batched = model.predict(validation.x, { batchSize: 5 }) as pc.Tensor;
        const whole = pc.tidy(() => model.apply(validation.x) as pc.Tensor);
        expectClose(batched.dataSync(), whole.dataSync(), 1e-6, 1e-7);
        const probabilities = whole.dataSync();
        const labels = validation.y.dataSync();
        const crossEntropy = Array.from(labels).reduce((s, label, r) => s - Math.log(probabilities[r * 2 + label]!), 0) / labels.length;
        expect(loss).toBeCloseTo(crossEntropy, 5);
        pc.dispose([...train.x, train.y, ...validation.x, validation.y, batched, whole]);
        model.dispose();
      });

      it('a Dataset of [[a, b], y] trains it, and predictAsync and the on-batch calls take lists too', async () => {
        const model = twoInputModel();
        const { x, y } = twoViews(64, 3);
        const dataset = pc.Dataset.fromTensorSlices([x, y]).batch(16);
        const history = await model.fit(dataset, { epochs: 6, verbose: 0 });
        expect(history.history.accuracy!.at(-1)!).toBeGreaterThan(0.9);
        const fromDataset = await model.predictAsync(pc.Dataset.fromTensorSlices([x]).batch(16), { verbose: 0 }) as pc.Tensor;
        const direct = model.predict(x) as pc.Tensor;
        expect(valuesOf(fromDataset)).toEqual(valuesOf(direct));
        const onBatch = model.predictOnBatch(x) as pc.Tensor;
        expect(valuesOf(onBatch)).toEqual(valuesOf(direct));
        const [batchLoss] = (await model.testOnBatch(x, y)) as number[];
        expect(batchLoss).toBeCloseTo((await model.evaluate(x, y, { batchSize: 64, verbose: 0 }))[0]!, 6);
        await model.trainOnBatch(x, y);
        pc.dispose([...x, y, fromDataset, direct, onBatch]);
        model.dispose();
      });

      it('fit on lists leaks no tensor once the optimizer has its state', async () => {
        const model = twoInputModel();
        const { x, y } = twoViews(32, 4);
        await model.fit(x, y, { epochs: 1, batchSize: 8, verbose: 0 });
        const before = pc.memory().numTensors;
        await model.fit(x, y, { epochs: 2, batchSize: 8, validationSplit: 0.25, verbose: 0 });
        pc.dispose(model.predict(x, { batchSize: 5 }));
        expect(pc.memory().numTensors).toBe(before);
        pc.dispose([...x, y]);
        model.dispose();
      });

      it('x keyed by input name gives what the list gives, in fit, evaluate, predict and a Dataset', async () => {
        const model = twoInputModel();
        expect(model.inputNames).toEqual(['view_a', 'view_b']);
        const { x, y } = twoViews(32, 6);
        const named = { view_b: x[1], view_a: x[0] };
        const [byList, byName] = [model.predict(x) as pc.Tensor, model.predict(named) as pc.Tensor];
        expect(valuesOf(byName)).toEqual(valuesOf(byList));
        expect(await model.evaluate(named, y, { verbose: 0 })).toEqual(await model.evaluate(x, y, { verbose: 0 }));
        const history = await model.fit(pc.Dataset.fromTensorSlices([named, y]).batch(8), { epochs: 4, verbose: 0 });
        expect(history.history.accuracy!.at(-1)!).toBeGreaterThan(0.9);
        const fromDataset = await model.predictAsync(pc.Dataset.fromTensorSlices(named).batch(8), { verbose: 0 }) as pc.Tensor;
        const direct = model.predict(x) as pc.Tensor;
        expect(valuesOf(fromDataset)).toEqual(valuesOf(direct));
        expect(() => model.predict({ view_a: x[0], other: x[1] })).toThrow("predict: expected x keyed by the model's inputs 'view_a', 'view_b', got keys 'view_a', 'other'");
        pc.dispose([...x, y, byList, byName, fromDataset, direct]);
        model.dispose();
      });

      it('refuses lists that do not fit the model or each other, naming them', async () => {
        const model = twoInputModel();
        const { x, y } = twoViews(8, 5);
        await expect(model.fit([x[0]], y, { verbose: 0 })).rejects.toThrow(/expected 2 input tensors .* got 1/);
        await expect(model.fit([x[0], pc.slice(x[1], 0, 6)], y, { verbose: 0 })).rejects.toThrow('fit: expected the tensors of x to have the same number of samples, got [[8,2], [6,2]]');
        await expect(model.fit(x, y, { validationData: [[x[0], pc.ones([8, 3])], y], verbose: 0 })).rejects.toThrow('fit: validationData x [[8,2], [8,3]] has samples of shape [2], [3], the training x [[8,2], [8,2]] has [2], [2]');
        expect(() => model.predict([x[0], pc.ones([8, 3])])).toThrow(/Layer 'view_b': expected inputs of shape \[-1,2\].*got \[8,3\]/);
        await expect(model.evaluate([] as never, y, { verbose: 0 })).rejects.toThrow('evaluate: expected x to be a Tensor (a list of Tensors, or Tensors keyed by input name, for a model of several inputs) or a Dataset of [x, y] batches, got an empty list');
        pc.dispose([...x, y]);
        model.dispose();
      });
    });

    describe('a symbolic tensor as a keyword argument (an attention mask from an Input)', () => {
      /** Input [4, 3] and Input bool [4, 4] → MultiHeadAttention(self, attentionMask) → Flatten → Dense(2). */
      function maskedAttention() {
        const steps = pc.Input({ shape: [4, 3], name: 'steps' });
        const allowed = pc.Input({ shape: [4, 4], dtype: 'bool', name: 'allowed' });
        const attention = new pc.MultiHeadAttention({ numHeads: 2, keyDim: 2, name: 'attention' });
        const head = new pc.Dense(2, { name: 'head' });
        const flatten = new pc.Flatten({ name: 'flat' });
        const output = head.apply(flatten.apply(attention.apply([steps, steps], { attentionMask: allowed })));
        const model = new pc.Model({ inputs: [steps, allowed], outputs: output, name: 'masked' });
        return { model, attention, head, flatten, steps, allowed, output };
      }
      const stepsOf = (batch: number, seed: number) => pc.tensor(draws(batch * 12, seed, -1, 1), [batch, 4, 3]);
      // Each query step sees a different set of steps, always itself among them.
      const allowedOf = (batch: number) => pc.tensor(Array.from({ length: batch * 16 }, (_, i) => (i % 16) % 5 === 0 || (i * 7) % 3 === 0 ? 1 : 0), [batch, 4, 4], 'bool');

      it('the graph feeds the mask Input to the layer: its output is the layer applied with the mask by hand, and not without it', () => {
        const { model, attention, head, flatten } = maskedAttention();
        const [x, mask] = [stepsOf(5, 3), allowedOf(5)];
        const byHand = pc.tidy(() => head.apply(flatten.apply(attention.apply([x, x], { attentionMask: mask }))));
        const unmasked = pc.tidy(() => head.apply(flatten.apply(attention.apply([x, x]))));
        const output = model.predict([x, mask]) as pc.Tensor;
        expect(valuesOf(output)).toEqual(valuesOf(byHand));
        expect(valuesOf(output)).not.toEqual(valuesOf(unmasked));
        pc.dispose([x, mask, byHand, unmasked, output]);
        model.dispose();
      });

      it('fit trains it on a bool Input, the summary connects the mask, and it saves and loads with the mask in its graph', async () => {
        const { model, allowed } = maskedAttention();
        const [x, mask, y] = [stepsOf(24, 5), allowedOf(24), pc.tensor(draws(48, 6, -1, 1), [24, 2])];
        model.compile({ optimizer: new pc.Adam({ learningRate: 0.02 }), loss: 'meanSquaredError' });
        const history = await model.fit([x, mask], y, { epochs: 10, batchSize: 8, verbose: 0 });
        const losses = history.history.loss!;
        expect(losses[losses.length - 1]!).toBeLessThan(losses[0]!);
        const lines: string[] = [];
        model.summary((line) => lines.push(line));
        expect(lines.join('\n')).toMatch(/│ attention\s+│ \(None, 4, 3\)\s+│\s+63 │ steps\[0\]\[0\],\s+│\n[^\n]*│ steps\[0\]\[0\],\s+│\n[^\n]*│ allowed\[0\]\[0\]\s+│/);
        const config = model.getConfig() as { layers: { config: { name: string }; inboundNodes: { kwargs: pc.CallKwargs }[] }[] };
        expect(config.layers.find((l) => l.config.name === 'attention')!.inboundNodes[0]!.kwargs)
          .toEqual({ attentionMask: { className: '__keras_tensor__', config: { kerasHistory: [allowed.sourceLayer.name, 0, 0] } } });
        await expectSaveLoadRoundTrip(model, [x, mask], []);
        (model.optimizer as pc.Optimizer).dispose();
        pc.dispose([x, mask, y]);
        model.dispose();
      });

      it('a mask Input left out of the inputs, a symbolic mask on tensors, and a saved mask no layer makes are errors naming them', () => {
        const { model, attention, steps, allowed, output } = maskedAttention();
        expect(() => new pc.Model({ inputs: steps, outputs: output })).toThrow(
          `the output depends on <SymbolicTensor shape=(None, 4, 4), dtype=bool, source=allowed[0][0]>, which is not among the model's inputs`,
        );
        const x = stepsOf(1, 8);
        expect(() => attention.apply([x, x], { attentionMask: allowed })).toThrow(
          "Layer 'attention': kwargs.attentionMask is a SymbolicTensor, which only a call on symbolic inputs takes (to build a functional model); got tensor inputs",
        );
        const config = model.getConfig() as { layers: { config: { name: string }; inboundNodes: { kwargs: { attentionMask: { config: { kerasHistory: unknown } } } }[] }[] };
        config.layers.find((l) => l.config.name === 'attention')!.inboundNodes[0]!.kwargs.attentionMask.config.kerasHistory = ['missing', 0, 0];
        expect(() => pc.deserializeLayer({ className: 'Functional', config: config as unknown as pc.ConfigDict }))
          .toThrow("Functional.fromConfig: call 0 of layer 'attention' takes missing[0][0], which no layer of the config makes");
        x.dispose();
        model.dispose();
      });
    });

    it('fromConfig names a call whose input no layer of the config makes', () => {
      const { model } = residualGraph();
      const config = model.getConfig() as { layers: { inboundNodes: { inputs: [string, number][] }[] }[] };
      config.layers[1]!.inboundNodes[0]!.inputs = [['missing', 0]];
      expect(() => pc.deserializeLayer({ className: 'Functional', config: config as unknown as pc.ConfigDict }))
        .toThrow("Functional.fromConfig: call 0 of layer 'hidden' takes missing[0][0], which no layer of the config makes");
      model.dispose();
    });
  });
}
