// One training run of the lab's MLP (from @perceptron/examples/browser: PerceptronLayer +
// MultilayerPerceptron with its hand-written softmax) or of demo:cnn's small CNN, each with Adam
// and sparse categorical crossentropy on probabilities, as the lab compiles it.
import { Adam, dispose, setSeed, tensor, type Callback, type Logs, type Model, type Tensor } from '@perceptron/core';
import { mnistCnn, prepareModel } from '@perceptron/examples/browser';
import type { Curves } from './curves.js';
import type { Mnist, Split } from './mnist.js';
import type { Settings } from './settings.js';

export interface TrainHooks {
  /** The one-line progress, Keras style. */
  progress(line: string): void;
  curves(curves: Curves): void;
  /**
   * Non-null once training must end: the user stopped it (finish the batch, keep the model) or
   * the GPU went away (`immediately`: nothing more can run on it).
   */
  stopRequest(): { reason: string; immediately: boolean } | null;
}

export interface TrainResult {
  model: Model;
  valAccuracy: number;
  valLoss: number;
  /** Set when training ended early; the model holds the weights reached so far. */
  stopped: string | null;
}

/** Thrown from a callback to abandon fit at once (a lost GPU cannot finish the epoch). */
export class TrainingAborted extends Error {}

const tensors = (s: Split): [Tensor, Tensor] => [tensor(s.x, [s.count, 784], 'float32'), tensor(s.y, [s.count], 'int32')];

/** Yield to the event loop this often, so the page repaints and handles input during fit. */
const YIELD_MS = 40;
const macrotask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** Seeds the initial weights and the shuffling, so the same settings train the same model. */
const SEED = 42;

/** The model the settings name, compiled, and the name its accuracy has in the logs. */
function compiledModel(settings: Settings): { model: Model; acc: string } {
  if (settings.model === 'mlp') {
    const { mlp, optimizer, lossObject, trainMetric } = prepareModel({ hidden: settings.hidden, learningRate: settings.learningRate });
    mlp.compile({ optimizer, loss: lossObject, metrics: [trainMetric] });
    return { model: mlp, acc: trainMetric.name };
  }
  const cnn = mnistCnn();
  cnn.compile({ optimizer: new Adam({ learningRate: settings.learningRate }), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
  return { model: cnn, acc: 'accuracy' };
}

/** Frees a model this page trained: its weights and its optimizer's slots (each model gets its own optimizer). */
export function releaseModel(model: Model): void {
  model.optimizer?.dispose();
  model.dispose();
}

export async function trainModel(settings: Settings, data: Mnist, hooks: TrainHooks): Promise<TrainResult> {
  setSeed(SEED);
  const { model, acc } = compiledModel(settings);
  const steps = Math.ceil(data.train.count / settings.batchSize);
  const curves: Curves = { train: [], validation: [], epochs: settings.epochs };
  const started = performance.now();
  let lastYield = started;
  let epoch = 0;
  let stopped: string | null = null;
  let last: Logs = {};

  const checkStop = (): void => {
    const request = hooks.stopRequest();
    if (request === null) return;
    if (request.immediately) throw new TrainingAborted(request.reason);
    stopped = request.reason;
    model.stopTraining = true;
  };
  const live: Callback = {
    onEpochBegin: (e) => {
      epoch = e;
    },
    onBatchEnd: async (batch, logs = {}) => {
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      hooks.progress(`epoch ${epoch + 1}/${settings.epochs} · batch ${batch + 1}/${steps} · loss ${logs.loss!.toFixed(4)} · accuracy ${logs[acc]!.toFixed(4)} · ${seconds} s`);
      curves.train.push({ at: epoch + (batch + 1) / steps, loss: logs.loss!, accuracy: logs[acc]! });
      if (performance.now() - lastYield > YIELD_MS) {
        hooks.curves(curves);
        await macrotask();
        lastYield = performance.now();
      }
      checkStop();
    },
    onEpochEnd: async (e, logs = {}) => {
      last = logs;
      if (logs.val_loss !== undefined) curves.validation.push({ at: e + 1, loss: logs.val_loss, accuracy: logs[`val_${acc}`]! });
      hooks.curves(curves);
      await macrotask();
      checkStop();
    },
  };

  const [x, y] = tensors(data.train);
  const [xVal, yVal] = tensors(data.validation);
  try {
    await model.fit(x, y, { epochs: settings.epochs, batchSize: settings.batchSize, validationData: [xVal, yVal], callbacks: [live], verbose: 0 });
  } catch (error) {
    releaseModel(model);
    throw error;
  } finally {
    dispose([x, y, xVal, yVal]);
  }
  return { model, valAccuracy: last[`val_${acc}`] ?? NaN, valLoss: last.val_loss ?? NaN, stopped };
}
