import { sizeOfShape, type NDArray } from './ndarray.js';

/** A convolution's settings as the table writes them: one number per spatial axis. */
export interface ConvolutionSettings {
  readonly strides: readonly [number, number];
  readonly padding: 'valid' | 'same';
  readonly dilations: readonly [number, number];
}

/**
 * Output length and zeros added before the input along one axis, as TensorFlow defines them:
 * 'valid' fits whole windows, 'same' gives ceil(input / stride) and puts the odd padding after.
 */
function axisLayout(input: number, taps: number, stride: number, dilation: number, padding: 'valid' | 'same'): { output: number; before: number } {
  const span = (taps - 1) * dilation + 1;
  if (padding === 'valid') return { output: Math.floor((input - span) / stride) + 1, before: 0 };
  const output = Math.ceil(input / stride);
  return { output, before: Math.floor(Math.max(0, (output - 1) * stride + span - input) / 2) };
}

/** The two axes' layouts for images of `inputShape` [batch, height, width, inChannels] and a filter of `filterShape`. */
function layouts(inputShape: readonly number[], filterShape: readonly number[], s: ConvolutionSettings) {
  return {
    rows: axisLayout(inputShape[1]!, filterShape[0]!, s.strides[0], s.dilations[0], s.padding),
    cols: axisLayout(inputShape[2]!, filterShape[1]!, s.strides[1], s.dilations[1], s.padding),
  };
}

export function conv2dOutputShape(inputShape: readonly number[], filterShape: readonly number[], s: ConvolutionSettings): number[] {
  const { rows, cols } = layouts(inputShape, filterShape, s);
  return [inputShape[0]!, rows.output, cols.output, filterShape[3]!];
}

/**
 * Calls `visit(xAt, filterAt, yAt)` for every product x·filter of the convolution of images of
 * `inputShape` [batch, height, width, inChannels] by a filter of `filterShape` [fh, fw, inChannels,
 * outChannels]: the flat positions of the image value, the filter value and the output it adds
 * to. Taps that fall in the padding are skipped (they read 0).
 */
function forEachProduct(
  inputShape: readonly number[], filterShape: readonly number[], s: ConvolutionSettings,
  visit: (xAt: number, filterAt: number, yAt: number) => void,
): void {
  const [batch, height, width, inChannels] = inputShape as [number, number, number, number];
  const [fh, fw, , outChannels] = filterShape as [number, number, number, number];
  const { rows, cols } = layouts(inputShape, filterShape, s);
  for (let b = 0; b < batch; b++) {
    for (let oy = 0; oy < rows.output; oy++) {
      for (let ox = 0; ox < cols.output; ox++) {
        for (let i = 0; i < fh; i++) {
          const y = oy * s.strides[0] + i * s.dilations[0] - rows.before;
          if (y < 0 || y >= height) continue;
          for (let j = 0; j < fw; j++) {
            const x = ox * s.strides[1] + j * s.dilations[1] - cols.before;
            if (x < 0 || x >= width) continue;
            for (let c = 0; c < inChannels; c++) {
              for (let f = 0; f < outChannels; f++) {
                visit(((b * height + y) * width + x) * inChannels + c, ((i * fw + j) * inChannels + c) * outChannels + f, ((b * rows.output + oy) * cols.output + ox) * outChannels + f);
              }
            }
          }
        }
      }
    }
  }
}

function zeros(shape: readonly number[]): NDArray {
  return { shape: [...shape], data: new Float64Array(sizeOfShape(shape)) };
}

/** y[b, oy, ox, f] = Σ x[b, oy·s + i·d − top, ox·s + j·d − left, c] · filter[i, j, c, f]. */
export function conv2d(x: NDArray, filter: NDArray, s: ConvolutionSettings): NDArray {
  const y = zeros(conv2dOutputShape(x.shape, filter.shape, s));
  forEachProduct(x.shape, filter.shape, s, (xAt, filterAt, yAt) => {
    y.data[yAt] += x.data[xAt]! * filter.data[filterAt]!;
  });
  return y;
}

/** dx: each product x·filter passes dy·filter back to the x it read. */
export function conv2dBackpropInput(dy: NDArray, filter: NDArray, inputShape: readonly number[], s: ConvolutionSettings): NDArray {
  const dx = zeros(inputShape);
  forEachProduct(inputShape, filter.shape, s, (xAt, filterAt, yAt) => {
    dx.data[xAt] += dy.data[yAt]! * filter.data[filterAt]!;
  });
  return dx;
}

/** dfilter: each product x·filter passes x·dy back to the filter value it used. */
export function conv2dBackpropFilter(x: NDArray, dy: NDArray, filterShape: readonly number[], s: ConvolutionSettings): NDArray {
  const dFilter = zeros(filterShape);
  forEachProduct(x.shape, filterShape, s, (xAt, filterAt, yAt) => {
    dFilter.data[filterAt] += x.data[xAt]! * dy.data[yAt]!;
  });
  return dFilter;
}
