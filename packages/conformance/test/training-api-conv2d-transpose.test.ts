// Conv2DTranspose and Conv1DTranspose against a float64 scatter written here (each input pixel
// adds kernel-weighted copies of itself over a window of the output): values, output sizes,
// gradients by central finite differences, the adjoint identity with Conv2D, an autoencoder
// trained with fit, saving, bad configs and leaks. A sequence is a one-row image to the scatter.
import * as pc from '@perceptron/core';
import { beforeEach, describe, expect, it } from 'vitest';
import { expectClose } from './training-api-helpers.js';
import { drawKernelAndBias, draws, errorRecorder, expectReferenceGradients, expectSaveLoadRoundTrip, expectTrainingStepsLeakNothing, stripeImages } from './training-api-layer-checks.js';
import { MODEL_BACKENDS } from './training-api-model-support.js';

type Pair = [number, number];

interface TransposeCase {
  name: string;
  /** The input [batch, height, width, channels]. */
  shape: number[];
  filters: number;
  kernel: Pair;
  strides: Pair;
  padding: 'valid' | 'same';
  dilation: Pair;
  /** The output's height and width, as Keras gives them. */
  outputSize: Pair;
  outputPadding?: Pair;
}

const CASES: TransposeCase[] = [
  { name: '3×3 same strides 2 (doubles), [2,3,3,2] → 4 filters', shape: [2, 3, 3, 2], filters: 4, kernel: [3, 3], strides: [2, 2], padding: 'same', dilation: [1, 1], outputSize: [6, 6] },
  { name: '3×3 valid, [1,4,5,3] → 2 filters', shape: [1, 4, 5, 3], filters: 2, kernel: [3, 3], strides: [1, 1], padding: 'valid', dilation: [1, 1], outputSize: [6, 7] },
  { name: '2×3 valid strides [2,1], [2,3,4,1] → 3 filters', shape: [2, 3, 4, 1], filters: 3, kernel: [2, 3], strides: [2, 1], padding: 'valid', dilation: [1, 1], outputSize: [6, 6] },
  { name: '1×1 valid strides 3 (a window smaller than the stride), [1,2,3,2] → 2 filters', shape: [1, 2, 3, 2], filters: 2, kernel: [1, 1], strides: [3, 3], padding: 'valid', dilation: [1, 1], outputSize: [6, 9] },
  { name: '4×4 same strides 2 (the odd padding after), [1,3,2,2] → 2 filters', shape: [1, 3, 2, 2], filters: 2, kernel: [4, 4], strides: [2, 2], padding: 'same', dilation: [1, 1], outputSize: [6, 4] },
  { name: '3×3 dilation 2 valid, [1,2,3,1] → 2 filters', shape: [1, 2, 3, 1], filters: 2, kernel: [3, 3], strides: [1, 1], padding: 'valid', dilation: [2, 2], outputSize: [6, 7] },
];

/**
 * Keras's output_padding picks the output size: (input − 1)·stride plus the window ('valid') or
 * its oddness ('same'), plus outputPadding. The scatter is cut where the Conv2D that maps that
 * size back pads (paddingBefore), or runs short of it (the last rows get the bias alone).
 */
const PADDED_CASES: TransposeCase[] = [
  { name: '3×3 same strides 2, outputPadding 0 (one short of doubling), [1,3,3,2] → 2 filters', shape: [1, 3, 3, 2], filters: 2, kernel: [3, 3], strides: [2, 2], padding: 'same', dilation: [1, 1], outputSize: [5, 5], outputPadding: [0, 0] },
  { name: '4×4 same strides 2, outputPadding [0,1], [2,3,2,1] → 3 filters', shape: [2, 3, 2, 1], filters: 3, kernel: [4, 4], strides: [2, 2], padding: 'same', dilation: [1, 1], outputSize: [4, 3], outputPadding: [0, 1] },
  { name: '3×2 valid strides [2,3], outputPadding [1,2] (past the scatter), [2,3,2,1] → 2 filters', shape: [2, 3, 2, 1], filters: 2, kernel: [3, 2], strides: [2, 3], padding: 'valid', dilation: [1, 1], outputSize: [8, 7], outputPadding: [1, 2] },
];

/** The padding before the output's first row (or column) of the Conv2D this transposes: TensorFlow's 'same', half of the total, the odd one after. */
function paddingBefore(output: number, input: number, kernel: number, stride: number, dilation: number, padding: 'valid' | 'same'): number {
  if (padding === 'valid') return 0;
  const extent = (kernel - 1) * dilation + 1;
  return Math.floor(Math.max((input - 1) * stride + extent - output, 0) / 2);
}

/** The transposed convolution in float64: out[b, y, x, f] += x[b, iy, ix, c]·kernel[i, j, f, c] where y = iy·s + i·d − before. */
function transposeReference(x: readonly number[], c: TransposeCase, kernel: readonly number[], bias: readonly number[]): number[] {
  const [batch, height, width, channels] = c.shape as [number, number, number, number];
  const [outHeight, outWidth] = c.outputSize;
  const before = [paddingBefore(outHeight, height, c.kernel[0], c.strides[0], c.dilation[0], c.padding), paddingBefore(outWidth, width, c.kernel[1], c.strides[1], c.dilation[1], c.padding)];
  const out = new Array<number>(batch * outHeight * outWidth * c.filters).fill(0);
  for (let b = 0; b < batch; b++) {
    for (let iy = 0; iy < height; iy++) {
      for (let ix = 0; ix < width; ix++) {
        for (let i = 0; i < c.kernel[0]; i++) {
          for (let j = 0; j < c.kernel[1]; j++) {
            const y = iy * c.strides[0] + i * c.dilation[0] - before[0]!;
            const xx = ix * c.strides[1] + j * c.dilation[1] - before[1]!;
            if (y < 0 || y >= outHeight || xx < 0 || xx >= outWidth) continue;
            for (let ch = 0; ch < channels; ch++) {
              const value = x[((b * height + iy) * width + ix) * channels + ch]!;
              for (let f = 0; f < c.filters; f++) out[((b * outHeight + y) * outWidth + xx) * c.filters + f]! += value * kernel[((i * c.kernel[1] + j) * c.filters + f) * channels + ch]!;
            }
          }
        }
      }
    }
  }
  return out.map((v, k) => v + bias[k % c.filters]!);
}

const sizeOf = (shape: readonly number[]): number => shape.reduce((a, b) => a * b, 1);

function transposeLayer(c: TransposeCase): pc.Conv2DTranspose {
  return new pc.Conv2DTranspose(c.filters, c.kernel, { strides: c.strides, padding: c.padding, dilationRate: c.dilation, outputPadding: c.outputPadding ?? null });
}

/** The layer built for the case with a drawn kernel and a drawn (non-zero) bias. */
function builtTranspose(c: TransposeCase): { layer: pc.Conv2DTranspose; kernel: number[]; bias: number[] } {
  const layer = transposeLayer(c);
  layer.ensureBuilt(c.shape);
  return { layer, ...drawKernelAndBias(layer) };
}

const recordError = errorRecorder('transposed convolutions');

for (const backend of MODEL_BACKENDS) {
  describe(`Conv2DTranspose on ${backend}`, () => {
    beforeEach(async () => {
      await pc.setBackend(backend);
      pc.setSeed(91195003);
    });

    describe.each([...CASES, ...PADDED_CASES])('$name', (c) => {
      const xValues = draws(sizeOf(c.shape), 1, -2, 2);

      it("values match the float64 scatter; the kernel is Keras's [kh, kw, filters, channels]; the output size is Keras's", () => {
        const { layer, kernel, bias } = builtTranspose(c);
        expect(layer.kernel!.shape).toEqual([...c.kernel, c.filters, c.shape[3]!]);
        const y = pc.tidy(() => layer.apply(pc.tensor(xValues, c.shape)));
        expect(y.shape).toEqual([c.shape[0]!, ...c.outputSize, c.filters]);
        expect(layer.computeOutputShape([null, ...c.shape.slice(1)])).toEqual([null, ...c.outputSize, c.filters]);
        const want = transposeReference(xValues, c, kernel, bias);
        recordError('values', y.dataSync(), want);
        expectClose(y.dataSync(), want, 1e-5, 1e-5);
        y.dispose();
        layer.dispose();
      });

      it('gradients w.r.t. input, kernel and bias match central finite differences', () => {
        const { layer, kernel, bias } = builtTranspose(c);
        const x = pc.tensor(xValues, c.shape);
        expectReferenceGradients({
          layer, x, variables: [layer.kernel!, layer.bias!], values: [xValues, kernel, bias], names: ['input', 'kernel', 'bias'],
          reference: ([moved, k, b]) => transposeReference(moved!, c, k!, b!), seed: 2, record: recordError,
        });
        x.dispose();
        layer.dispose();
      });
    });

    // With an outputPadding the Conv2D of the output's size need not give back the input's.
    describe.each(CASES)('$name', (c) => {
      const xValues = draws(sizeOf(c.shape), 1, -2, 2);

      it('is the adjoint of the Conv2D it transposes: ⟨conv(z), x⟩ = ⟨z, transpose(x)⟩ with one kernel', () => {
        const { layer, kernel } = builtTranspose(c);
        const z = draws(c.shape[0]! * c.outputSize[0] * c.outputSize[1] * c.filters, 3, -1, 1);
        const [forward, backward] = pc.tidy(() => {
          const conv = pc.conv2d(pc.tensor(z, [c.shape[0]!, ...c.outputSize, c.filters]), pc.tensor(kernel, layer.kernel!.shape), { strides: c.strides, padding: c.padding, dilations: c.dilation });
          const transposed = pc.conv2dBackpropInput(pc.tensor(xValues, c.shape), layer.kernel!, [c.shape[0]!, ...c.outputSize, c.filters], { strides: c.strides, padding: c.padding, dilations: c.dilation });
          return [pc.sum(pc.mul(conv, pc.tensor(xValues, c.shape))).dataSync()[0]!, pc.sum(pc.mul(pc.tensor(z, transposed.shape), transposed)).dataSync()[0]!];
        });
        expect(Math.abs(forward - backward)).toBeLessThan(1e-4 * Math.max(1, Math.abs(forward)));
        layer.dispose();
      });
    });

    it.each([
      { steps: 5, kernel: 3, strides: 2, padding: 'same' as const, dilation: 1, outputSteps: 10 },
      { steps: 4, kernel: 3, strides: 1, padding: 'valid' as const, dilation: 2, outputSteps: 8 },
      { steps: 3, kernel: 2, strides: 3, padding: 'valid' as const, dilation: 1, outputSteps: 9 },
    ])('Conv1DTranspose $kernel taps strides $strides $padding dilation $dilation: the one-row scatter, gradients included', ({ steps, kernel: taps, strides, padding, dilation, outputSteps }) => {
      const c: TransposeCase = { name: '1D', shape: [2, 1, steps, 3], filters: 2, kernel: [1, taps], strides: [1, strides], padding, dilation: [1, dilation], outputSize: [1, outputSteps] };
      const layer = new pc.Conv1DTranspose(2, taps, { strides, padding, dilationRate: dilation });
      layer.ensureBuilt([2, steps, 3]);
      expect(layer.kernel!.shape).toEqual([taps, 2, 3]);
      const { kernel, bias } = drawKernelAndBias(layer);
      const xValues = draws(2 * steps * 3, 4, -2, 2);
      const x = pc.tensor(xValues, [2, steps, 3]);
      const y = pc.tidy(() => layer.apply(x));
      expect(y.shape).toEqual([2, outputSteps, 2]);
      expect(layer.computeOutputShape([null, steps, 3])).toEqual([null, outputSteps, 2]);
      expectClose(y.dataSync(), transposeReference(xValues, c, kernel, bias), 1e-5, 1e-5);
      expectReferenceGradients({
        layer, x, variables: [layer.kernel!], values: [xValues, kernel], names: ['input', 'kernel'],
        reference: ([moved, k]) => transposeReference(moved!, c, k!, bias), seed: 5, record: recordError, label: 'Conv1DTranspose',
      });
      pc.dispose([x, y]);
      layer.dispose();
    });

    it('an autoencoder (Conv2D strides 2 down, Conv2DTranspose strides 2 up) learns to rebuild stripe images with fit', async () => {
      const { pixels } = stripeImages(48, 8, 21);
      const x = pc.tensor(pixels, [48, 8, 8, 1]);
      const model = autoencoder();
      expect(model.outputShape).toEqual([null, 8, 8, 1]);
      model.compile({ optimizer: new pc.Adam({ learningRate: 0.02 }), loss: 'mse' });
      const history = await model.fit(x, x, { epochs: 12, batchSize: 16, verbose: 0 });
      const losses = history.history.loss!;
      expect(losses.at(-1)!).toBeLessThan(0.4 * losses[0]!);
      await expectSaveLoadRoundTrip(model, x, model.layers);
      expectTrainingStepsLeakNothing(model, x);
      x.dispose();
      model.optimizer?.dispose();
      model.dispose();
    });

    it('bad configs and inputs are errors naming the layer, what it expected and what it got', () => {
      expect(() => new pc.Conv2DTranspose(0, 3)).toThrow('Conv2DTranspose: filters must be a positive integer, got 0');
      expect(() => new pc.Conv2DTranspose(2, [3, 0])).toThrow('Conv2DTranspose: kernelSize must be a positive integer or two of them [height, width], got [3,0]');
      expect(() => new pc.Conv2DTranspose(2, 3, { strides: 2, dilationRate: 2 })).toThrow('Conv2DTranspose: dilationRate > 1 needs strides 1 (as in Keras), got dilationRate [2,2] and strides [2,2]');
      const padded = new pc.Conv2DTranspose(2, 3, { strides: 2, padding: 'same', outputPadding: [1, 0] });
      expect(padded.getConfig()).toMatchObject({ outputPadding: [1, 0] });
      expect(pc.deserializeLayer(pc.serializeLayer(padded)).getConfig()).toEqual(padded.getConfig());
      expect(() => new pc.Conv2DTranspose(2, 3, { strides: [2, 1], outputPadding: 1 })).toThrow('Conv2DTranspose: outputPadding must be below strides on every axis (as in Keras), got outputPadding [1,1] and strides [2,1]');
      expect(() => new pc.Conv2DTranspose(2, 3, { outputPadding: [0, 0, 0] as unknown as [number, number] })).toThrow('Conv2DTranspose: outputPadding must be null, a non-negative integer, or one per axis [height, width], got [0,0,0]');
      expect(() => new pc.Conv2DTranspose(2, 3, { name: 't' }).apply(pc.ones([2, 12]))).toThrow("Conv2DTranspose 't': expected inputs of rank 4 [batch, height, width, channels], got shape [2,12]");
      expect(() => new pc.Conv2DTranspose(2, 3, { name: 't2' }).computeOutputShape([null, 5])).toThrow("Conv2DTranspose 't2': expected inputs of rank 4 [batch, height, width, channels], got shape [-1,5]");
      expect(() => new pc.Conv1DTranspose(2, 3, { padding: 'causal' as 'same' })).toThrow("Conv1DTranspose: padding must be one of 'valid', 'same', got \"causal\"");
      expect(() => new pc.Conv1DTranspose(2, 0)).toThrow('Conv1DTranspose: kernelSize must be a positive integer, got 0');
      expect(() => new pc.Conv1DTranspose(2, 3, { name: 't3' }).apply(pc.ones([2, 3, 3, 1]))).toThrow("Conv1DTranspose 't3': expected inputs of rank 3 [batch, steps, channels], got shape [2,3,3,1]");
    });
  });
}

/** Input 8×8×1 → Conv2D(4, 3, strides 2, same, relu) 4×4×4 → Conv2DTranspose(1, 3, strides 2, same, sigmoid) 8×8×1. */
function autoencoder(): pc.Sequential {
  return new pc.Sequential([
    pc.Input({ shape: [8, 8, 1] }),
    new pc.Conv2D(4, 3, { strides: 2, padding: 'same', activation: 'relu' }),
    new pc.Conv2DTranspose(1, 3, { strides: 2, padding: 'same', activation: 'sigmoid' }),
  ]);
}
