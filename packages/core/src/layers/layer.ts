import { ENGINE } from '../engine/engine.js';
import { getInitializer, type InitializerIdentifier } from '../initializers/index.js';
import { outsideScopes, tidy } from '../engine/memory.js';
import { zeros } from '../ops/creation.js';
import { optionalRegularizer } from '../regularizers/get-regularizer.js';
import { serializeRegularizer, type Regularizer, type RegularizerIdentifier } from '../regularizers/index.js';
import { activityPenalty, anyLosses, beginCall, endCall, LayerLosses, lossesOfCall } from './layer-losses.js';
import { Tensor } from '../tensor/tensor.js';
import { Variable } from '../tensor/variable.js';
import type { DType, Shape } from '../types.js';
import { formatShape, sizeOf } from '../util/shape.js';
import { currentTraining, withTraining } from './call-context.js';
import { asDryRun } from './dry-run.js';
import { toSnakeCase, uniqueName } from './naming.js';
import { classNameOf, type LayerClass } from './registry.js';
import { isShapeList, withUnknownBatch, type SymbolicShape } from './symbolic-shape.js';
import { hasUnknownLength, outputShapeByDryRun, standInShape } from './stand-in-lengths.js';
import { rememberUnknownLengthOutput, unknownLengthOutputOf } from './unknown-length-outputs.js';
import { checkedOutputs, describe, inputList, type CallKwargs, type LayerInputs, type LayerOutput, type OutputOf, type OutputShape, type SymbolicOutputOf } from './call-signature.js';
import { heldLayers, selfAndDescendants } from './held-layers.js';
import { InboundNodes, SymbolicTensor, type Node } from './symbolic-tensor.js';
import { mapKwargValues, refuseSymbolicKwargs } from './symbolic-kwargs.js';
import { maskOf, type LayerMask } from './mask.js';
import { refuseUnknownCallOptions, refuseUnknownOptions, type LayerConfig, type OptionList, type OwnOptions } from './layer-options.js';

export type { CallKwargs, LayerInputs, LayerOutput, OutputOf, OutputShape, SymbolicOutputOf } from './call-signature.js';
export type { LayerConfig } from './layer-options.js';

/** JSON-serializable settings, as `getConfig()` returns them. */
export type ConfigDict = Record<string, unknown>;

export interface AddWeightOptions {
  /** Whether gradient tapes watch it and optimizers update it. Default true. */
  trainable?: boolean;
  /** Default 'float32'. */
  dtype?: DType;
  /** A penalty on the weight's value, part of `losses` while the weight is trainable. */
  regularizer?: RegularizerIdentifier | null;
}

/**
 * The Keras layer. Subclasses create weights in `build(inputShape)`, which `apply` runs once,
 * on the first input; `call(inputs)` computes the output. Weights are tracked through `addWeight`
 * and through child layers assigned as properties (directly or in arrays), so `weights`,
 * `trainableWeights` and `nonTrainableWeights` of an outer layer include its children's.
 */
export class Layer {
  static readonly className: string = 'Layer';
  /** The config keys this class adds to its parent's: see layer-options.ts. */
  static readonly options: OptionList = { name: true, trainable: true, dtype: true, inputShape: true, batchInputShape: true, activityRegularizer: true } satisfies OwnOptions<LayerConfig, object>;
  /** The options `apply` takes beside the inputs (Keras's call arguments) this class adds. */
  static readonly callOptions: OptionList = { training: true, mask: true, keepOutputMask: true };

  readonly name: string;
  dtype: DType;
  built = false;
  /** The shape of the first input, from which `build` made the weights. */
  buildInputShape: Shape | null = null;
  /** The input shape declared in the config (`inputShape`), batch dimension first. */
  readonly batchInputShape: SymbolicShape | null;
  readonly activityRegularizer: Regularizer | null;
  #trainable: boolean;
  #ownWeights: Variable[] = [];
  readonly #losses = new LayerLosses();
  #lastOutputShape: OutputShape | null = null;
  readonly #nodes = new InboundNodes(this);

  constructor(config: LayerConfig = {}) {
    if (config === null || typeof config !== 'object' || Array.isArray(config)) {
      throw new Error(`${new.target.name}: expected a config object, got ${JSON.stringify(config)}`);
    }
    refuseUnknownOptions(new.target, config);
    this.name = config.name ?? uniqueName(toSnakeCase(classNameOf(new.target as unknown as LayerClass)));
    this.#trainable = config.trainable ?? true;
    this.dtype = config.dtype ?? 'float32';
    this.batchInputShape = config.batchInputShape ?? (config.inputShape ? [null, ...config.inputShape] : null);
    this.activityRegularizer = optionalRegularizer(config.activityRegularizer);
  }

  /**
   * Creates the weights once the input shape is known. Called by `apply` on the first input; a
   * layer that takes a list of tensors (a merge layer) gets a list of shapes.
   */
  build(_inputShape: Shape | Shape[]): void {}

  /**
   * The forward computation. Called through `apply`, which builds the layer first. A layer of
   * several outputs returns a list, which `apply` returns too.
   */
  call(inputs: Tensor | Tensor[], _kwargs?: CallKwargs): LayerOutput {
    if (Array.isArray(inputs)) throw new Error(`Layer '${this.name}': call takes one tensor, got a list of ${inputs.length}`);
    return inputs;
  }

  /** How errors name the layer: its class and name, `LSTM 'decoder'`. */
  protected get label(): string {
    return `${classNameOf(this.constructor as LayerClass)} '${this.name}'`;
  }

  /**
   * Whether the layer keeps its input's mask (Keras's supports_masking): true for layers that
   * work on each timestep alone (Dense, Activation, Dropout, normalizations) and for those that
   * read the mask. Other layers end it, with a warning.
   */
  get supportsMasking(): boolean {
    return false;
  }

  /**
   * The mask of the output, given the input and its mask (Keras's compute_mask): the input's
   * mask if the layer supports masking, else none. Embedding and Masking make one; recurrent
   * layers keep it only with their sequence.
   */
  computeMask(_inputs: Tensor | Tensor[], mask: LayerMask): LayerMask {
    return this.supportsMasking ? mask : null;
  }

  /**
   * Whether `apply` takes a list of tensors. Layers take one tensor; merge layers, and models,
   * whose `call` may take several inputs as Keras's do, say true.
   */
  protected get takesList(): boolean {
    return false;
  }

  /**
   * Builds on the first input, checks the input against what the layer was built for, then
   * calls. Given symbolic tensors (from `Input`, or another layer's symbolic output) it runs
   * nothing: it records the call for a functional model and returns the symbolic output. Then a
   * keyword argument may be a symbolic tensor too (an attention mask from an Input), which the
   * model feeds like an input.
   */
  apply(inputs: Tensor | readonly Tensor[], kwargs?: CallKwargs): OutputOf<this>;
  apply(inputs: SymbolicTensor | readonly SymbolicTensor[], kwargs?: CallKwargs): SymbolicOutputOf<this>;
  apply(inputs: LayerInputs, kwargs: CallKwargs = {}): LayerOutput | SymbolicTensor | SymbolicTensor[] {
    refuseUnknownCallOptions(this.constructor as LayerClass, this.label, kwargs);
    const list = inputList(this.name, classNameOf(this.constructor as LayerClass), this.takesList, inputs);
    if (list.every((x) => x instanceof SymbolicTensor)) return this.#applySymbolic(list as SymbolicTensor[], Array.isArray(inputs), kwargs);
    refuseSymbolicKwargs(this.name, kwargs);
    const tensors = list as Tensor[];
    for (const x of tensors) x.assertUsable(`Layer '${this.name}'`);
    if (!Array.isArray(inputs)) this.checkInputShape(tensors[0]!.shape);
    this.ensureBuilt(Array.isArray(inputs) ? tensors.map((x) => x.shape) : tensors[0]!.shape);
    const callInputs = Array.isArray(inputs) ? tensors : tensors[0]!;
    const training = kwargs.training ?? currentTraining() ?? false;
    // Losses added during a forward pass belong to it: each outermost call gets a new number,
    // and a layer's earlier losses are dropped when it adds one under a new number.
    const outermost = ENGINE.layerPath.length === 0;
    beginCall(outermost);
    this.#losses.called();
    ENGINE.layerPath.push(this.name);
    try {
      // The tensors a call makes on the way are freed when it returns, as in tfjs-layers, so
      // `model.apply(x)` outside tidy leaves only its output (a tape still holds what its
      // gradients need). The output and the losses added so far move to the caller's scope.
      return tidy(`Layer '${this.name}'`, () => withTraining(training, () => {
        const output = this.call(callInputs, { ...kwargs, training });
        const outputs = checkedOutputs(this.name, output);
        this.#lastOutputShape = Array.isArray(output) ? outputs.map((t) => withUnknownBatch(t.shape)) : withUnknownBatch(outputs[0]!.shape);
        if (this.activityRegularizer) for (const t of outputs) this.addLoss(activityPenalty(this.activityRegularizer, t));
        // Asked for, an output's attached mask leaves the call with it (else it is freed here).
        const masks = kwargs.keepOutputMask ? outputs.map(maskOf).filter((m) => m !== null) : [];
        return { output, losses: lossesOfCall(), masks };
      })).output;
    } finally {
      ENGINE.layerPath.pop();
      endCall(outermost);
    }
  }

  /**
   * A call on symbolic tensors: works out the output's shape (which checks the inputs' shapes),
   * builds the layer and finds the output's dtype by one dry run on a batch of zeros, and records
   * the call as a node of the graph.
   */
  #applySymbolic(inputs: SymbolicTensor[], asList: boolean, kwargs: CallKwargs): SymbolicTensor | SymbolicTensor[] {
    const shapes = inputs.map((x) => x.shape);
    const shape = this.computeOutputShape(asList ? shapes : shapes[0]!);
    const zerosLike = (x: SymbolicTensor): Tensor => zeros(standInShape(x.shape), x.dtype);
    const dryRun = (): Tensor[] => inputs.map(zerosLike);
    const dtypes = asDryRun(() => tidy(() => {
      const dryKwargs = mapKwargValues(kwargs, (value) => (value instanceof SymbolicTensor ? zerosLike(value) : undefined));
      const output: LayerOutput = asList ? this.apply(dryRun(), dryKwargs) : this.apply(dryRun()[0]!, dryKwargs);
      return Array.isArray(output) ? output.map((t) => t.dtype) : output.dtype;
    }));
    const shapeList = isShapeList(shape) ? shape : [shape];
    if (isShapeList(shape) !== Array.isArray(dtypes) || shapeList.length !== [dtypes].flat().length) {
      const count = (list: boolean, n: number): string => (list ? `a list of ${n}` : 'one');
      throw new Error(`Layer '${this.name}': computeOutputShape gives ${count(isShapeList(shape), shapeList.length)} shape${isShapeList(shape) ? 's' : ''} but call returns ${count(Array.isArray(dtypes), [dtypes].flat().length)} tensor${Array.isArray(dtypes) ? 's' : ''}; they must agree`);
    }
    if (shapes.some(hasUnknownLength)) rememberUnknownLengthOutput(this, isShapeList(shape) ? shape.map(withUnknownBatch) : withUnknownBatch(shape));
    const outputs = shapeList.map((s, i) => ({ shape: s, dtype: [dtypes].flat()[i]! }));
    return this.recordNode(inputs, asList, kwargs, Array.isArray(dtypes), outputs).returned;
  }

  /** Adds a call on symbolic tensors to `inboundNodes`. */
  protected recordNode(inputs: SymbolicTensor[], asList: boolean, kwargs: CallKwargs, outputsAsList: boolean, outputs: readonly { shape: SymbolicShape; dtype: DType }[]): Node {
    return this.#nodes.record(inputs, asList, kwargs, outputsAsList, outputs);
  }

  /** The calls of this layer on symbolic tensors, in order (Keras's inbound nodes). */
  get inboundNodes(): readonly Node[] {
    return this.#nodes.all;
  }

  /** The symbolic input of the layer's only symbolic call, as Keras's `layer.input`. */
  get input(): SymbolicTensor | SymbolicTensor[] {
    const node = this.#nodes.only('input');
    return node.inputsAsList ? [...node.inputs] : node.inputs[0] ?? node.outputs[0]!;
  }

  /** The symbolic output of the layer's only symbolic call (a list for a layer of several outputs), as Keras's `layer.output`. */
  get output(): SymbolicOutputOf<this> {
    return this.#nodes.only('output').returned as SymbolicOutputOf<this>;
  }

  /**
   * Runs `build(inputShape)` unless the layer is built already. Tensors `build` makes (beside
   * its weights, a constant it keeps) belong to the layer, not to whichever tidy is active.
   */
  ensureBuilt(inputShape: Shape | Shape[]): void {
    if (this.built) return;
    outsideScopes(() => this.build(inputShape));
    this.built = true;
    // A layer of several inputs keeps no single input shape.
    this.buildInputShape = isShapeList(inputShape) ? null : [...inputShape];
  }

  private checkInputShape(shape: Shape): void {
    const declared = this.batchInputShape;
    if (declared && (declared.length !== shape.length || declared.some((d, i) => i > 0 && d !== null && d !== shape[i]))) {
      throw new Error(`Layer '${this.name}': expected inputs of shape ${formatShape(declared.map((d) => d ?? -1))} (-1: any), got ${formatShape(shape)}`);
    }
    if (this.buildInputShape && this.#ownWeights.length > 0) this.checkBuiltInputShape(shape, this.buildInputShape);
  }

  /**
   * Throws unless inputs of `shape` fit the weights `build` made from `built`. By default they
   * are tied to the last dimension only, as Dense's kernel is, so the rank and the other
   * dimensions may change; a layer whose weights span other axes checks those instead.
   */
  protected checkBuiltInputShape(shape: Shape, built: Shape): void {
    const expected = built[built.length - 1];
    const given = shape[shape.length - 1];
    if (expected !== given) {
      throw new Error(
        `Layer '${this.name}': expected inputs with last dimension ${expected} (it was built for shape ${formatShape(withUnknownBatch(built).map((d) => d ?? -1))}), got last dimension ${given} (shape ${formatShape(shape)})`,
      );
    }
  }

  /**
   * Creates a weight owned by this layer, initialised now. The variable is named
   * `layerName/name`; it is trainable unless `trainable: false` (or the layer is not).
   */
  addWeight(name: string, shape: Shape, initializer: InitializerIdentifier = 'glorotUniform', options: AddWeightOptions = {}): Variable {
    if (shape.some((d) => !Number.isInteger(d) || d < 0)) {
      throw new Error(`Layer '${this.name}'.addWeight('${name}'): expected a shape of non-negative integers, got ${JSON.stringify(shape)}`);
    }
    const init = getInitializer(initializer);
    const regularizer = optionalRegularizer(options.regularizer);
    const dtype = options.dtype ?? this.dtype;
    const value = tidy(() => init.apply(shape, dtype));
    try {
      const weight = new Variable(value, { name: `${this.name}/${name}`, trainable: options.trainable ?? true });
      this.#ownWeights.push(weight);
      if (regularizer) this.#losses.regularize(weight, regularizer);
      return weight;
    } finally {
      value.dispose();
    }
  }

  get trainable(): boolean {
    return this.#trainable;
  }

  /** Setting it sets every child layer too, as in Keras. */
  set trainable(value: boolean) {
    this.#trainable = value;
    for (const child of this.childLayers) child.trainable = value;
  }

  /**
   * Layers held in own enumerable properties, or inside arrays and plain objects there (nested
   * too, as Keras tracks lists and dicts), in assignment order, each once. This is how assigning
   * `this.hidden = new Dense(16)` or `this.heads = {a: new Dense(2)}` makes the outer layer track it.
   */
  get childLayers(): Layer[] {
    return heldLayers<Layer>(this, (value): value is Layer => value instanceof Layer);
  }

  /** Every weight: this layer's own, then each child's, in tracking order (as Keras 3). */
  get weights(): Variable[] {
    return this.collect('all', new Set());
  }

  /** The weights gradients flow to: none when the layer is frozen (`trainable = false`). */
  get trainableWeights(): Variable[] {
    return this.collect('trainable', new Set());
  }

  get nonTrainableWeights(): Variable[] {
    return this.collect('nonTrainable', new Set());
  }

  /** `visited` guards against layers that refer back to a parent. */
  private collect(kind: 'all' | 'trainable' | 'nonTrainable', visited: Set<Layer>): Variable[] {
    if (visited.has(this)) return [];
    visited.add(this);
    if (!this.#trainable && kind !== 'all') return kind === 'trainable' ? [] : this.collect('all', new Set());
    const own = this.#ownWeights.filter((w) => kind === 'all' || w.trainable === (kind === 'trainable'));
    return [...new Set([...own, ...this.childLayers.flatMap((child) => child.collect(kind, visited))])];
  }

  /**
   * Adds a loss (a float tensor, summed) to this forward pass, as Keras's `add_loss`: call it
   * from `call`. `fit` adds every loss of the model to the compiled loss.
   */
  addLoss(loss: Tensor): void {
    if (!(loss instanceof Tensor) || loss.dtype !== 'float32') {
      throw new Error(`Layer '${this.name}'.addLoss: expected a float32 tensor, got ${loss instanceof Tensor ? `${loss.dtype} ${formatShape(loss.shape)}` : describe(loss)}`);
    }
    this.#losses.add(loss);
  }

  /**
   * The extra losses, as Keras's `layer.losses`: what `addLoss` got (activity regularizers
   * included) during the latest call of this layer and of each child, as long as those tensors
   * live (a training step's are freed with it), then the penalty of each regularized trainable
   * weight, computed now (owned by the current tidy scope).
   */
  get losses(): Tensor[] {
    if (!anyLosses()) return [];
    const layers = selfAndDescendants<Layer>(this, (layer) => layer.childLayers);
    const trainable = new Set(this.trainableWeights);
    return [...layers.flatMap((layer) => layer.#losses.added), ...layers.flatMap((layer) => layer.#losses.penalties(trainable))];
  }

  /** Number of scalars in all weights. */
  countParams(): number {
    return this.weights.reduce((total, w) => total + sizeOf(w.shape), 0);
  }

  /**
   * The output shape for `inputShape` (batch first, null: unknown), a list of shapes for a layer
   * of several outputs. The default runs `apply` on zeros (building the layer if needed);
   * built-in layers compute it without running.
   */
  computeOutputShape(inputShape: SymbolicShape | readonly SymbolicShape[]): OutputShape {
    return outputShapeByDryRun(inputShape, (inputs) => this.apply(inputs, { training: false }));
  }

  /** The output shape (of each output, for a layer of several), batch dimension unknown, once the layer has been built. */
  get outputShape(): OutputShape {
    const unknownLength = unknownLengthOutputOf(this);
    if (unknownLength) return unknownLength;
    if (this.#lastOutputShape) return this.#lastOutputShape;
    const input = this.buildInputShape ? withUnknownBatch(this.buildInputShape) : this.batchInputShape;
    if (!this.built || !input) throw new Error(`Layer '${this.name}' has not been built yet: its output shape is unknown until it is called on data`);
    return (this.#lastOutputShape = this.computeOutputShape(input));
  }

  /** Settings that, passed to `fromConfig`, rebuild this layer (without its weights). */
  getConfig(): ConfigDict {
    const config: ConfigDict = { name: this.name, trainable: this.#trainable, dtype: this.dtype };
    if (this.batchInputShape) config.batchInputShape = [...this.batchInputShape];
    if (this.activityRegularizer) config.activityRegularizer = serializeRegularizer(this.activityRegularizer);
    return config;
  }

  /**
   * Rebuilds a layer from `getConfig()`'s output. The default is `new cls(config)`; a class
   * whose constructor takes other arguments must override it, and is told so when the rebuilt
   * layer's config differs from the one given.
   */
  static fromConfig(cls: LayerClass, config: ConfigDict): Layer {
    const layer = new cls(config);
    const rebuilt = layer.getConfig();
    const differing = Object.keys(config).filter((key) => JSON.stringify(rebuilt[key]) !== JSON.stringify(config[key]));
    if (differing.length > 0) {
      throw new Error(
        `${classNameOf(cls)}.fromConfig: new ${cls.name}(config) did not restore ${differing.map((k) => `'${k}'`).join(', ')}`
        + ` (expected ${JSON.stringify(config[differing[0]!])}, got ${JSON.stringify(rebuilt[differing[0]!])}); `
        + `define static fromConfig(cls, config) on ${cls.name} to call its constructor`,
      );
    }
    return layer;
  }

  /** Frees every weight, and what this layer and those below it keep besides. The layer cannot be used afterwards. */
  dispose(): void {
    for (const w of this.weights) w.dispose();
    for (const layer of selfAndDescendants<Layer>(this, (l) => l.childLayers)) layer.releaseState();
  }

  /** Frees what the layer keeps outside its weights (a stateful recurrent layer's carried states); nothing by default. */
  protected releaseState(): void {}
}
