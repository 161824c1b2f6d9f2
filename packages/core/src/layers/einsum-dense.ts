import { add } from '../ops/arithmetic.js';
import { einsum } from '../ops/einsum.js';
import { activate } from '../ops/fused-activation.js';
import type { Tensor } from '../tensor/tensor.js';
import type { Shape } from '../types.js';
import { describeValue } from '../util/arguments.js';
import { formatShape } from '../util/shape.js';
import { KernelLayer, type KernelLayerConfig } from './kernel-layer.js';
import type { ConfigDict } from './layer.js';
import type { OptionList, OwnOptions } from './layer-options.js';
import { registerClass, type LayerClass } from './registry.js';
import { formatSymbolicShape, type SymbolicShape } from './symbolic-shape.js';

export interface EinsumDenseConfig extends Omit<KernelLayerConfig, 'useBias'> {
  /**
   * The input's subscripts, the kernel's, then the output's: 'ab,bc->ac' (Dense), 'abc,cde->abde'
   * (a per-head projection). The input's first letter is the batch, and the output's first. A
   * '...' before the input's and the output's letters ('...b,bc->...c') stands for the batch and
   * any dimensions before the letters; after them ('ab...,bc->ac...'), for any after.
   */
  equation: string;
  /** The output's dimensions but the batch and the '...' ones; null: the input's dimension of that letter. */
  outputShape: number | readonly (number | null)[];
  /** The output letters the bias spans ('c', 'de'). Default null: no bias. */
  biasAxes?: string | null;
}

/** An equation's subscripts, where its '...' stands, and outputShape as a list. */
interface Spec { input: string; kernel: string; output: string; dots: 'left' | 'right' | null; dims: readonly (number | null)[] }

const EQUATION = /^(\.\.\.)?([a-zA-Z]+)(\.\.\.)?,([a-zA-Z]+)->(\.\.\.)?([a-zA-Z]+)(\.\.\.)?$/;

const fail = (why: string): never => { throw new Error(`EinsumDense: ${why}`); };

/**
 * The equation's subscripts and outputShape's dimensions, checked with biasAxes as far as they go
 * without the input (Keras checks them when it builds).
 */
function parse(equation: unknown, outputShape: unknown, biasAxes: unknown): Spec {
  if (typeof equation !== 'string') return fail(`expected an equation such as 'ab,bc->ac', got ${describeValue(equation)}`);
  const eq = `'${equation}'`;
  const operands = equation.split('->')[0]!.split(',').length;
  if (operands !== 2) fail(`expected an equation of two operands, the input's subscripts and the kernel's ('ab,bc->ac'), got ${operands} in ${eq}`);
  const [, dotsIn, input, inDots, kernel, dotsOut, output, outDots] = EQUATION.exec(equation) ?? [];
  // '...' on both sides or neither, and on one end.
  if (!input || !kernel || !output || dotsIn !== dotsOut || inDots !== outDots || (dotsIn && inDots)) {
    return fail(`malformed equation ${eq}: expected 'X,Y->Z', '...X,Y->...Z' or 'X...,Y->Z...' with X, Y, Z letters`);
  }
  const dots = dotsIn ? 'left' : inDots ? 'right' : null;
  for (const [what, letters] of Object.entries({ input, kernel, output })) {
    if (new Set(letters).size !== letters.length) fail(`the ${what} subscripts '${letters}' of ${eq} repeat a letter; each letter names one dimension`);
  }
  for (const l of output) if (!input.includes(l) && !kernel.includes(l)) fail(`output letter '${l}' of ${eq} is neither an input letter nor a kernel letter`);
  for (const l of kernel) if (!input.includes(l) && !output.includes(l)) fail(`kernel letter '${l}' of ${eq} is neither an input letter nor an output letter, so its size is unknown`);
  if (dots !== 'left' && (output[0] !== input[0] || kernel.includes(input[0]!))) {
    fail(`without a leading '...', the input's first letter is the batch: expected it first in the output and not in the kernel, got ${eq}`);
  }
  // outputShape sizes the output's letters but the batch's.
  const named = dots === 'left' ? output : output.slice(1);
  const dims = (Array.isArray(outputShape) ? [...outputShape] : [outputShape]) as (number | null)[];
  if (dims.length !== named.length) fail(`expected outputShape to give ${named.length} dimension${named.length === 1 ? '' : 's'}, one per output letter '${named}' of ${eq} (the batch and '...' excluded), got ${describeValue(outputShape)}`);
  dims.forEach((d, i) => {
    const free = input.includes(named[i]!);
    if (!(Number.isInteger(d) && (d as number) > 0) && !(d === null && free)) {
      fail(`expected outputShape[${i}] (letter '${named[i]}') to be a positive integer${free ? ' or null (the input\'s)' : ''}, got ${describeValue(d)}`);
    }
  });
  if (biasAxes !== null && (typeof biasAxes !== 'string' || !biasAxes || [...biasAxes].some((l, i) => !named.includes(l) || biasAxes.indexOf(l) !== i))) {
    fail(`expected biasAxes to be letters of the output '${named}' of ${eq} (the batch excluded), each once, got ${describeValue(biasAxes)}`);
  }
  return { input, kernel, output, dots, dims };
}

/**
 * Keras's EinsumDense: activation(einsum(equation, inputs, kernel) + bias), the kernel's and the
 * bias's shapes worked out from the equation, the input's shape and `outputShape`.
 * `new EinsumDense('abc,cde->abde', [null, 4, 16], {biasAxes: 'de'})` or `new EinsumDense({equation, outputShape, ...})`.
 */
export class EinsumDense extends KernelLayer {
  static override readonly className = 'EinsumDense';
  static override readonly options: OptionList = { equation: true, outputShape: true, biasAxes: true } satisfies OwnOptions<EinsumDenseConfig, KernelLayerConfig>;
  readonly equation: string;
  /** `outputShape` as given (Layer's `outputShape` is the full output shape). */
  readonly partialOutputShape: number | readonly (number | null)[];
  readonly biasAxes: string | null;
  readonly #spec: Spec;

  constructor(equationOrConfig: string | EinsumDenseConfig, outputShape?: EinsumDenseConfig['outputShape'], config: Omit<EinsumDenseConfig, 'equation' | 'outputShape'> = {}) {
    const full = typeof equationOrConfig === 'string' ? { ...config, equation: equationOrConfig, outputShape: outputShape! } : equationOrConfig;
    if (full === null || typeof full !== 'object') fail(`expected (equation, outputShape, config) or a config object, got ${describeValue(full)}`);
    // Keras has no use_bias: biasAxes says whether there is a bias.
    if (Object.hasOwn(full, 'useBias')) fail("unknown option 'useBias'; biasAxes sets the bias (null: none)");
    super({ ...full, useBias: full.biasAxes != null });
    this.#spec = parse(full.equation, full.outputShape, full.biasAxes ?? null);
    this.equation = full.equation;
    this.partialOutputShape = Array.isArray(full.outputShape) ? [...full.outputShape] : full.outputShape;
    this.biasAxes = full.biasAxes ?? null;
  }

  /** Each letter's size for inputs of `shape` (null: unknown), and how many dimensions '...' stands for. */
  #sizes(shape: SymbolicShape): { size: Map<string, number | null>; elided: number } {
    const { input, output, dots, dims } = this.#spec;
    const elided = shape.length - input.length;
    // A leading '...' holds the batch, so at least one dimension.
    const least = dots === 'left' ? 1 : 0;
    if (dots ? elided < least : elided !== 0) {
      throw new Error(`${this.label}: expected inputs of rank ${dots ? 'at least ' : ''}${input.length + least} for '${this.equation}', got shape ${formatSymbolicShape(shape)}`);
    }
    const offset = dots === 'left' ? elided : 0;
    const size = new Map([...input].map((l, i): [string, number | null] => [l, shape[offset + i] ?? null]));
    [...(dots === 'left' ? output : output.slice(1))].forEach((l, i) => {
      const [wanted, known] = [dims[i]!, size.get(l)];
      if (wanted === null) return;
      if (known != null && known !== wanted) throw new Error(`${this.label}: outputShape gives ${wanted} for letter '${l}' of '${this.equation}', but inputs of shape ${formatSymbolicShape(shape)} have ${known}`);
      size.set(l, wanted);
    });
    return { size, elided };
  }

  /** Keras's kernel and bias shapes: the bias spans the output from its first letter on, 1 where it is not in biasAxes. */
  #weightShapes(shape: Shape): { kernel: Shape; bias: Shape | null } {
    const { size, elided } = this.#sizes(shape);
    const { kernel, output, dots } = this.#spec;
    const kernelShape = [...kernel].map((l) => size.get(l)!);
    if (this.biasAxes === null) return { kernel: kernelShape, bias: null };
    const first = Math.min(...[...this.biasAxes].map((l) => output.indexOf(l)));
    const bias = [...output.slice(first)].map((l) => (this.biasAxes!.includes(l) ? size.get(l)! : 1));
    // Dimensions '...' stands for after the letters come last in the output: the bias broadcasts over them.
    return { kernel: kernelShape, bias: dots === 'right' ? [...bias, ...new Array<number>(elided).fill(1)] : bias };
  }

  override build(inputShape: Shape): void {
    const { kernel, bias } = this.#weightShapes(inputShape);
    this.kernel = this.addWeight('kernel', kernel, this.kernelInitializer, { regularizer: this.kernelRegularizer });
    if (bias) this.bias = this.addWeight('bias', bias, this.biasInitializer, { regularizer: this.biasRegularizer });
  }

  /** As Keras's input spec: the rank it was built for, and the sizes of the weights' letters. */
  protected override checkBuiltInputShape(shape: Shape, built: Shape): void {
    if (shape.length !== built.length || JSON.stringify(this.#weightShapes(shape)) !== JSON.stringify(this.#weightShapes(built))) {
      throw new Error(`${this.label}: expected inputs of rank ${built.length} whose dimensions fit its kernel ${formatShape(this.kernel!.shape)}${this.bias ? ` and bias ${formatShape(this.bias.shape)}` : ''} (built for shape ${formatShape(built)}), got shape ${formatShape(shape)}`);
    }
  }

  override call(inputs: Tensor): Tensor {
    const product = einsum(this.equation, inputs, this.kernel!);
    // No fused einsum kernel: the activation follows the bias.
    return this.activated((activation) => activate(this.bias ? add(product, this.bias) : product, activation));
  }

  override computeOutputShape(inputShape: SymbolicShape): SymbolicShape {
    const { size, elided } = this.#sizes(inputShape);
    const letters = [...this.#spec.output].map((l) => size.get(l) ?? null);
    return this.#spec.dots === 'left' ? [...inputShape.slice(0, elided), ...letters] : [...letters, ...inputShape.slice(inputShape.length - elided)];
  }

  override getConfig(): ConfigDict {
    const { useBias: _, ...config } = super.getConfig();
    return { ...config, equation: this.equation, outputShape: Array.isArray(this.partialOutputShape) ? [...this.partialOutputShape] : this.partialOutputShape, biasAxes: this.biasAxes };
  }
}
registerClass(EinsumDense as LayerClass);
