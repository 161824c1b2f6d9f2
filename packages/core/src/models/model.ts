import type { History, Logs } from '../callbacks/index.js';
import type { Dataset } from '../data/index.js';
import { tidy } from '../engine/memory.js';
import { add } from '../ops/arithmetic.js';
import { ones } from '../ops/creation.js';
import { sum } from '../ops/reduce.js';
import { Layer, type ConfigDict, type LayerConfig, type LayerOutput, type OutputOf } from '../layers/layer.js';
import { getRegisteredClass, registerClass, type LayerClass } from '../layers/registry.js';
import type { LayerMask } from '../layers/mask.js';
import { isPlainObject } from '../util/plain-object.js';
import { Loss } from '../losses/index.js';
import type { Metric } from '../metrics/index.js';
import type { Optimizer } from '../optimizers/index.js';
import { GradientTape } from '../tape/gradient-tape.js';
import { Tensor } from '../tensor/tensor.js';
import { checkFeatures, isTensorOrList, orderedByName, samplesIn, type BatchDataset, type ModelInput, type ModelTarget, type SampleWeight } from './model-input.js';
import type { FunctionalModelConfig } from './functional-config.js';
import { formatShape, shapesEqual } from '../util/shape.js';
import type { CompileArgs, CompiledMetric, CompiledOutput, CompileSpec } from './compile.js';
import { CompiledState } from './compiled-state.js';
import { runEvaluate, type EvaluateOptions } from './evaluate.js';
import { runFit, type FitOptions } from './fit.js';
import { runPredict, type PredictOptions } from './predict.js';
import { runPredictAsync, type PredictAsyncOptions } from './predict-async.js';
import { runPredictOnBatch, runTestOnBatch, runTrainOnBatch, type BatchResult, type TestOnBatchOptions, type TrainOnBatchOptions } from './on-batch.js';
import { printSummary, type SummaryOptions } from './summary.js';
import { loadModelWeights, saveModel, saveModelWeights } from '../io/model-files.js';
import type { FileStore } from '../io/file-store.js';
import type { OptionList } from '../layers/layer-options.js';
import { statefulLayersOf } from '../layers/stateful-layers.js';
import { standInShape } from '../layers/stand-in-lengths.js';

/**
 * A Keras model: a layer with a training loop. Subclass it and write `call` (the lab's
 * MultilayerPerceptron), or use `Sequential`. `compile` picks the optimizer, loss and metrics;
 * `fit`, `evaluate` and `predict` run batches through `trainStep`, `testStep` and `predictStep`,
 * which a hand-written loop can call too.
 */
export class Model extends Layer {
  static override readonly className: string = 'Model';
  static override readonly options: OptionList = {};
  /** Set by a callback (EarlyStopping, TerminateOnNaN) to end `fit` after the current batch. */
  stopTraining = false;
  /** The History of the last `fit`. */
  history: History | null = null;
  #compiled: CompiledState | null = null;

  /**
   * `new Model({inputs, outputs})` makes a functional model (a `Functional`), as in Keras;
   * otherwise a model whose subclass writes `call`.
   */
  constructor(config: LayerConfig | FunctionalModelConfig = {}) {
    if (new.target === Model && isPlainObject(config) && ('inputs' in config || 'outputs' in config)) {
      // The Functional class registers itself; looked up by name, as its module imports this one.
      const Functional = getRegisteredClass('Functional');
      return new Functional(config) as Model;
    }
    super(config);
  }

  /**
   * A model takes its inputs' mask (`kwargs.mask`; a functional model or Sequential carries it
   * through its layers). Its output's mask is what its graph makes: a functional model or
   * Sequential nested in another attaches it to its output (see mask-propagation.ts); a
   * subclassed model's `call` gives none.
   */
  override get supportsMasking(): boolean {
    return true;
  }

  override computeMask(_inputs?: Tensor | Tensor[], _mask?: LayerMask): LayerMask {
    return null;
  }

  /** A model's `call` may take a list of inputs, as Keras's. */
  protected override get takesList(): boolean {
    return true;
  }

  /** The child layers, in the order they were assigned. */
  get layers(): Layer[] {
    return this.childLayers;
  }

  /** A layer of `layers` by its name, or by its position, as Keras's `get_layer`. */
  getLayer(nameOrIndex: string | number): Layer {
    const layers = this.layers;
    const found = typeof nameOrIndex === 'number' ? layers[nameOrIndex] : layers.find((layer) => layer.name === nameOrIndex);
    if (!found) {
      const known = typeof nameOrIndex === 'number' ? `${layers.length} layers` : `layers ${layers.map((l) => `'${l.name}'`).join(', ')}`;
      throw new Error(`getLayer: model '${this.name}' has no layer ${JSON.stringify(nameOrIndex)}; it has ${known}`);
    }
    return found;
  }

  /**
   * The names of the outputs, as Keras's `output_names`, when known before the model runs (a
   * functional model's); null otherwise. A model of several outputs logs each output's loss and
   * metrics under its name; one whose outputs have no names calls them output_1, output_2, ...
   */
  get outputNames(): string[] | null {
    return null;
  }

  /** The names of the inputs, as Keras's `input_names`, when known (a functional model's); null otherwise. x may then be keyed by them. */
  get inputNames(): string[] | null {
    return null;
  }

  get optimizer(): Optimizer | null {
    return this.#compiled?.spec.optimizer ?? null;
  }

  /** The compiled loss: one Loss, or for a model of several outputs each output's (null: untrained). */
  get loss(): Loss | (Loss | null)[] | null {
    const outputs = this.compiledOutputs;
    if (outputs.length === 0) return this.#compiled && this.#compiled.spec.loss instanceof Loss ? this.#compiled.spec.loss : null;
    return outputs.length === 1 ? outputs[0]!.loss : outputs.map((o) => o.loss);
  }

  /** compile's losses and metrics as matched to each output (empty until the outputs are known). */
  get compiledOutputs(): readonly CompiledOutput[] {
    return this.#compiled?.outputs ?? [];
  }

  #metricEntries(): readonly CompiledMetric[] {
    return this.#compiled?.metricEntries ?? [];
  }

  /** compile's metrics (unweighted), of every output. */
  get compiledMetrics(): Metric[] {
    return this.#metricEntries().filter((e) => !e.weighted).map((e) => e.metric);
  }

  /** compile's weightedMetrics, of every output. */
  get compiledWeightedMetrics(): Metric[] {
    return this.#metricEntries().filter((e) => e.weighted).map((e) => e.metric);
  }

  /** compile's arguments, resolved to objects (saved with the model). */
  get compileSpec(): CompileSpec | null {
    return this.#compiled?.spec ?? null;
  }

  /** What was passed to `compile`. */
  get compileArgs(): CompileArgs | null {
    return this.#compiled?.args ?? null;
  }

  /**
   * The names of `evaluate`'s results: 'loss', then each output's loss for a model of several
   * outputs, then each metric's log name, weightedMetrics last (empty before compile).
   */
  get metricsNames(): string[] {
    return this.#compiled?.metricsNames ?? [];
  }

  /**
   * Sets the optimizer, losses and metrics. A model whose outputs are known (a functional one)
   * matches them to its outputs now; another is assumed to have one output until its first step
   * shows what `call` returns.
   */
  compile(args: CompileArgs): void {
    const compiled = new CompiledState(this.name, args, this.outputNames);
    compiled.takeOptimizerFrom(this.#compiled);
    this.#compiled = compiled;
  }

  /**
   * Frees every weight and the slots of the optimizer if the model owns it: compile made it
   * from its name (as tfjs-layers does) or its config (loadModel's). An optimizer passed to
   * compile as an object may serve other models, so it stays the caller's to dispose. The model
   * cannot be used afterwards.
   */
  override dispose(): void {
    super.dispose();
    this.#compiled?.releaseOptimizer();
  }

  /** The compiled state, or an error telling `caller` to compile first. */
  requireCompiled(caller: string): CompiledState {
    if (!this.#compiled) {
      throw new Error(`${caller}: model '${this.name}' must be compiled first: call model.compile({optimizer, loss, metrics})`);
    }
    return this.#compiled;
  }

  /**
   * The loss of one batch, its samples weighted by `sampleWeight`: for a model of several
   * outputs the sum of each output's loss times its loss weight. Plus the model's `losses`
   * (regularization penalties, `addLoss`), as Keras 3's compute_loss. Override to change it.
   */
  computeLoss(_x: ModelInput, y: ModelTarget, yPred: LayerOutput, sampleWeight?: SampleWeight): Tensor {
    const loss = this.requireCompiled('computeLoss').outputsLoss(y, yPred, sampleWeight);
    return this.losses.reduce((total, extra) => add(total, sum(extra)), loss);
  }

  /**
   * One optimization step on a batch: forward pass under a GradientTape, gradients of the loss
   * for the trainable weights, optimizer update, metric update. Leaves no tensor behind and
   * returns the running logs of the epoch. `sampleWeight` weighs the samples in the loss and in
   * the weighted metrics (one weight for every output, or one per output).
   */
  trainStep(given: ModelInput, target: ModelTarget, weights?: SampleWeight): Logs {
    const compiled = this.requireCompiled('trainStep');
    const [x, y, sampleWeight] = this.#byName('trainStep', given, target, weights);
    checkFeatures('trainStep', this, x);
    compiled.checkTargets('trainStep', y);
    compiled.beginStep();
    const tape = new GradientTape();
    try {
      tidy(() => {
        const [loss, yPred] = tape.record(() => {
          const output = this.apply(x, { training: true, keepOutputMask: true });
          return [this.computeLoss(x, y, output, sampleWeight), output] as const;
        });
        // Read after the forward pass: the first call is what creates the weights.
        const variables = this.trainableWeights;
        if (variables.length === 0) {
          throw new Error(`trainStep: model '${this.name}' has no trainable weights; it tracks layers held in its properties, in arrays and in plain objects (or they are all frozen)`);
        }
        const gradients = tape.gradient(loss, variables);
        // Metrics first: one that rejects its inputs then throws before any weight moves.
        compiled.updateMetrics(y, yPred, sampleWeight);
        compiled.spec.optimizer.applyGradients(gradients, variables);
        compiled.track(loss, samplesIn(x));
      });
    } finally {
      // A step that throws never plays the tape back: free what it recorded.
      tape.dispose();
    }
    return this.currentLogs();
  }

  /** Loss and metrics of one batch without training; returns the running logs. */
  testStep(given: ModelInput, target: ModelTarget, weights?: SampleWeight): Logs {
    const compiled = this.requireCompiled('testStep');
    const [x, y, sampleWeight] = this.#byName('testStep', given, target, weights);
    checkFeatures('testStep', this, x);
    compiled.checkTargets('testStep', y);
    compiled.beginStep();
    tidy(() => {
      const yPred: LayerOutput = this.apply(x, { training: false, keepOutputMask: true });
      const loss = this.computeLoss(x, y, yPred, sampleWeight);
      compiled.updateMetrics(y, yPred, sampleWeight);
      compiled.track(loss, samplesIn(x));
    });
    return this.currentLogs();
  }

  /** A batch with tensors keyed by input or output name put in the model's order. */
  #byName(caller: string, x: ModelInput, y: ModelTarget, sampleWeight: SampleWeight | undefined): [Tensor | readonly Tensor[], Tensor | readonly Tensor[], (Tensor | readonly Tensor[])?] {
    const ordered = (role: 'y' | 'sampleWeight', value: ModelTarget) => orderedByName(caller, role, value, this.outputNames);
    return [orderedByName(caller, 'x', x, this.inputNames), ordered('y', y), sampleWeight && ordered('sampleWeight', sampleWeight)];
  }

  /** The output for one batch, outside training (a list for a model of several outputs). */
  predictStep(given: ModelInput): OutputOf<this> {
    const x = orderedByName('predict', 'x', given, this.inputNames);
    checkFeatures('predict', this, x);
    return tidy(() => this.apply(x, { training: false }) as LayerOutput) as OutputOf<this>;
  }

  /** Starts the running losses and every metric afresh (each epoch, each evaluate). */
  resetMetrics(): void {
    this.#compiled?.reset();
  }

  /**
   * Sets the states of every stateful layer within (recurrent layers built with `stateful: true`)
   * back to zeros, as tfjs-layers' `model.resetStates()`.
   */
  resetStates(): void {
    for (const layer of statefulLayersOf(this)) layer.resetStates();
  }

  /**
   * The loss so far (each output's too, for a model of several) and each metric's result, keys
   * in sorted order as Keras 3 logs them (so the progress bar shows `accuracy` before `loss`).
   */
  currentLogs(): Logs {
    return this.#compiled?.logs() ?? { loss: 0 };
  }

  /**
   * Trains for `epochs` passes over the data: `fit(x, y, options)` with tensors (x a list of
   * them for a model of several inputs), or
   * `fit(dataset, options)` with a Dataset of [x, y] batches. Resolves to the History.
   */
  fit(dataset: BatchDataset, options?: FitOptions): Promise<History>;
  fit(x: ModelInput, y: ModelTarget, options?: FitOptions): Promise<History>;
  fit(x: ModelInput | BatchDataset, yOrOptions?: ModelTarget | FitOptions, options?: FitOptions): Promise<History> {
    const [y, opts] = splitArgs(yOrOptions, options);
    return runFit(this, x, y, opts);
  }

  /** Loss and metrics over the data: numbers in `metricsNames` order. */
  evaluate(dataset: BatchDataset, options?: EvaluateOptions): Promise<number[]>;
  evaluate(x: ModelInput, y: ModelTarget, options?: EvaluateOptions): Promise<number[]>;
  evaluate(x: ModelInput | BatchDataset, yOrOptions?: ModelTarget | EvaluateOptions, options?: EvaluateOptions): Promise<number[]> {
    const [y, opts] = splitArgs(yOrOptions, options);
    return runEvaluate(this, x, y, opts);
  }

  /**
   * The outputs for every row of x, computed `batchSize` rows at a time (caller owns the result):
   * a list, one tensor per output, for a model of several outputs.
   */
  predict(x: ModelInput, options: PredictOptions = {}): OutputOf<this> {
    return runPredict(this, x, options) as OutputOf<this>;
  }

  /**
   * Keras's predict, awaited: x a Tensor or a Dataset of x, [x], [x, y] or [x, y, sampleWeight]
   * batches (y and the weights are ignored), with `steps` and callbacks (caller owns the result).
   */
  predictAsync(x: ModelInput | Dataset<unknown>, options?: PredictAsyncOptions): Promise<OutputOf<this>> {
    return runPredictAsync(this, x, options) as Promise<OutputOf<this>>;
  }

  /** One optimization step on exactly this batch, metrics reset first: its loss, or [loss, ...metrics]. */
  trainOnBatch(x: ModelInput, y: ModelTarget, options?: TrainOnBatchOptions): Promise<BatchResult> {
    return runTrainOnBatch(this, x, y, options);
  }

  /** Loss (and metrics) of exactly this batch without training, metrics reset first. */
  testOnBatch(x: ModelInput, y: ModelTarget, options?: TestOnBatchOptions): Promise<BatchResult> {
    return runTestOnBatch(this, x, y, options);
  }

  /** The outputs for this batch in one step (caller owns the result). */
  predictOnBatch(x: ModelInput): OutputOf<this> {
    return runPredictOnBatch(this, x) as OutputOf<this>;
  }

  /** Prints the layers, their output shapes and parameter counts, as Keras does. */
  summary(printFn: (line: string) => void = console.log, options: SummaryOptions = {}): void {
    printSummary(this, printFn, options);
  }

  /** The live weight variables, in `weights` order. Do not dispose them. */
  getWeights(): Tensor[] {
    return this.weights;
  }

  /** Copies `weights` (in `getWeights()` order) into the model; checks them all before assigning any. */
  setWeights(weights: readonly Tensor[]): void {
    const variables = this.weights;
    if (!Array.isArray(weights) || weights.length !== variables.length) {
      throw new Error(`setWeights: model '${this.name}' has ${variables.length} weights, got ${Array.isArray(weights) ? weights.length : typeof weights}`);
    }
    variables.forEach((v, i) => {
      const w = weights[i]!;
      if (!shapesEqual(v.shape, w.shape) || v.dtype !== w.dtype) {
        throw new Error(`setWeights: weight '${v.name}' is ${v.dtype} ${formatShape(v.shape)}, got ${w.dtype} ${formatShape(w.shape)}`);
      }
    });
    variables.forEach((v, i) => v.assign(weights[i]!));
  }

  /** Writes model.json and the weights file it names into `path` (a folder, or a FileStore). */
  save(path: string | FileStore): Promise<void> {
    return saveModel(this, path);
  }

  /** Writes the weights (and optimizer state) to one file. */
  saveWeights(path: string | FileStore): Promise<void> {
    return saveModelWeights(this, path);
  }

  /** Reads weights written by `saveWeights`; on any mismatch the current weights stay. */
  loadWeights(path: string | FileStore): Promise<void> {
    return loadModelWeights(this, path);
  }

  /** Makes the weights of a model that builds on its first call, from a shape such as [null, 784]. */
  buildFromShape(inputShape: readonly (number | null)[]): void {
    if (this.built) return;
    tidy(() => {
      this.apply(ones(standInShape(inputShape)), { training: false });
    });
  }

  override getConfig(): ConfigDict {
    return super.getConfig();
  }
}
registerClass(Model as LayerClass);

/** Splits `(y?, options?)` where y may be left out (datasets); y is a tensor, a list, or tensors keyed by output name. */
function splitArgs<O extends object>(yOrOptions: ModelTarget | O | undefined, options: O | undefined): [ModelTarget | undefined, O] {
  if (yOrOptions === undefined || Array.isArray(yOrOptions) || isTensorOrList(yOrOptions)) return [yOrOptions as ModelTarget | undefined, options ?? ({} as O)];
  return [undefined, yOrOptions as O];
}

