// Classes of the user's own that a saved model names (loss, metric, schedule, regularizer) load
// once registered with registerSerializable, as Keras's register_keras_serializable. Vitest gives
// each test file its own modules, so these registrations reach no other file.
import '@perceptron/backend-naive';
import * as pc from '@perceptron/core';
import { beforeAll, describe, expect, it } from 'vitest';

class Margin extends pc.Loss {
  constructor(config: { name?: string } = {}) { super('margin', config.name); }
  protected perSample(yTrue: pc.TensorLike, yPred: pc.TensorLike) { return pc.mean(pc.maximum(pc.sub(1, pc.mul(yTrue, yPred)), 0), -1); }
}

class MeanPrediction extends pc.Metric {
  #total = 0;
  #count = 0;
  constructor(readonly config: { name?: string } = {}) { super(config.name ?? 'mean_prediction'); }
  update(_yTrue: pc.TensorLike, yPred: pc.TensorLike): void {
    const values = (yPred as pc.Tensor).dataSync();
    for (const v of values) this.#total += v;
    this.#count += values.length;
  }
  result(): number { return this.#count === 0 ? 0 : this.#total / this.#count; }
  resetStates(): void { this.#total = 0; this.#count = 0; }
  override getConfig() { return { name: this.name }; }
}

class Halving extends pc.LearningRateSchedule {
  readonly className = 'Halving';
  constructor(readonly initial = 0.1) { super(); }
  call(step: number): number { return this.initial / 2 ** step; }
  override getConfig(): pc.ScheduleSettings { return { initial: this.initial }; }
}

class Cube extends pc.Regularizer {
  readonly className = 'Cube';
  constructor(readonly factor = 1) { super(); }
  call(x: pc.Tensor) { return pc.mul(pc.sum(pc.mul(pc.square(x), pc.abs(x))), this.factor); }
  getConfig() { return { factor: this.factor }; }
}

function model(): pc.Sequential {
  const m = new pc.Sequential([pc.Input({ shape: [2] }), new pc.Dense(1, { kernelRegularizer: new Cube(3), name: 'out' })]);
  m.compile({ optimizer: new pc.SGD({ learningRate: new Halving(0.4) }), loss: new Margin(), metrics: [new MeanPrediction()] });
  return m;
}

describe('registerSerializable', () => {
  beforeAll(async () => {
    await pc.setBackend('naive');
  });

  it('makes a saved model with a loss, metric, schedule and regularizer of the user\'s own load whole', async () => {
    const saved = model();
    const store = pc.memoryStore();
    await saved.save(store);
    // The architecture needs the regularizer before anything else.
    await expect(pc.loadModel(store)).rejects.toThrow("getRegularizer: unknown regularizer 'Cube'");
    pc.registerSerializable('regularizer', 'Cube', (config) => new Cube(config.factor as number));
    await expect(pc.loadModel(store)).rejects.toThrow(/cannot restore the loss .*Margin.*register its class with registerSerializable, or load with \{compile: false\}/);
    pc.registerSerializable('loss', 'Margin', (config) => new Margin(config));
    pc.registerSerializable('metric', 'MeanPrediction', (config) => new MeanPrediction(config));
    await expect(pc.loadModel(store)).rejects.toThrow(/cannot compile the model with the settings saved in .*load it with compile: false.*unknown learning rate schedule 'Halving'.*registered with registerSerializable\('learning rate schedule', 'Halving', factory\)/);
    pc.registerSerializable('learning rate schedule', 'Halving', (config) => new Halving(config.initial as number));
    const loaded = await pc.loadModel(store);
    expect(loaded.loss).toBeInstanceOf(Margin);
    expect(loaded.compiledMetrics[0]).toBeInstanceOf(MeanPrediction);
    expect(loaded.metricsNames).toEqual(['loss', 'mean_prediction']);
    expect(loaded.optimizer!.learningRateSchedule).toBeInstanceOf(Halving);
    expect(loaded.optimizer!.learningRate).toBe(0.4);
    expect((loaded.layers[0] as pc.Dense).kernelRegularizer).toBeInstanceOf(Cube);
    expect((loaded.layers[0] as pc.Dense).kernelRegularizer!.getConfig()).toEqual({ factor: 3 });
    saved.dispose();
    loaded.dispose();
  });

  it('refuses a kind it does not know and a missing factory', () => {
    expect(() => pc.registerSerializable('layer' as never, 'X', () => null)).toThrow('registerSerializable: kind must be one of loss, metric, optimizer, learning rate schedule, initializer, regularizer, got "layer"');
    expect(() => pc.registerSerializable('loss', '', () => null)).toThrow('registerSerializable: expected a class name and a function building the loss from its config, got "" and function');
  });

  it('refuses the name of a built-in class, which a saved model would load instead of the user\'s', () => {
    expect(() => pc.registerSerializable('loss', 'Hinge', () => new Margin())).toThrow(
      "registerSerializable: 'Hinge' is the name of the built-in loss 'hinge'; give your class another static className and register it under that name",
    );
    expect(() => pc.registerSerializable('metric', 'auc', () => new MeanPrediction())).toThrow("is the name of the built-in metric 'auc'");
    expect(() => pc.registerSerializable('optimizer', 'Adamax', () => new pc.Adamax())).toThrow("is the name of the built-in optimizer 'adamax'");
  });

  it('a class saves under its own static className, else its own name, never its parent\'s', () => {
    expect(new pc.AUC().className).toBe('AUC');
    expect(new pc.Huber().className).toBe('Huber');
    class StricterAuc extends pc.AUC {}
    class SofterHuber extends pc.Huber {}
    expect(new StricterAuc().className).toBe('StricterAuc');
    expect(new SofterHuber().className).toBe('SofterHuber');
    // What a minifier leaves: a class renamed to one letter keeps the name it declares.
    const renamed = class e extends pc.Loss {
      static readonly className = 'Margin';
      protected perSample(yTrue: pc.TensorLike, yPred: pc.TensorLike) { return pc.meanAbsoluteError(yTrue, yPred); }
    };
    expect(new renamed('margin').className).toBe('Margin');
  });
});
