/** Perceptron through its public Keras API: `Sequential` + `Dense` / `LSTM` / convolutions, `compile`, `fit`, `predict`. */
import {
  Adam, Conv2D, Dense, GlobalAveragePooling2D, LSTM, MaxPooling2D, SeparableConv2D, Sequential, add, dispose, matMul, setBackend, setSeed,
  tensor, type Callback, type Layer, type Logs,
} from '@perceptron/core';
import {
  readAndDispose, shapeFor, type Driver, type Images, type MatMulShape, type PreparedOp, type Predictor, type Trainer,
} from './driver.js';
import { operandShapes, operandValues } from './operands.js';
import { LOSS, LSTM_ACTIVATIONS, METRICS, PREDICT_BATCH, activationOf, type ModelSpec } from './workloads.js';

function layersOf(spec: ModelSpec): Layer[] {
  const inputShape = [...spec.inputShape];
  switch (spec.kind) {
    case 'mlp':
      return spec.units.map((units, i) => new Dense({ units, activation: activationOf(spec, i), ...(i === 0 ? { inputShape } : {}) }));
    case 'lstm':
      return [
        new LSTM({ units: spec.lstmUnits, ...LSTM_ACTIVATIONS, inputShape }),
        new Dense({ units: spec.classes, activation: 'softmax' }),
      ];
    case 'cnn':
      return [
        new Conv2D(spec.convFilters, 3, { activation: 'relu', inputShape }),
        ...spec.separableFilters.flatMap((filters) => [
          new MaxPooling2D({ poolSize: 2 }),
          new SeparableConv2D(filters, 3, { padding: 'same', activation: 'relu' }),
        ]),
        new GlobalAveragePooling2D(),
        new Dense({ units: spec.classes, activation: 'softmax' }),
      ];
  }
}

function buildModel(spec: ModelSpec, stepsPerExecution = 1): Sequential {
  setSeed(1);
  const model = new Sequential(layersOf(spec));
  model.compile({ optimizer: new Adam({ learningRate: spec.learningRate }), loss: LOSS, metrics: [...METRICS], stepsPerExecution });
  return model;
}

export class PerceptronDriver implements Driver {
  readonly stack = 'perceptron' as const;

  constructor(readonly backend: string, readonly stepsPerExecution = 1) {}

  async activate(): Promise<void> {
    await setBackend(this.backend);
  }

  /** Every workload is a Keras model that core builds from its own layers. */
  cannotBuild(): null {
    return null;
  }

  async trainer(spec: ModelSpec, train: Images): Promise<Trainer> {
    const model = buildModel(spec, this.stepsPerExecution);
    const x = tensor(train.x, shapeFor(spec, train), 'float32');
    const y = tensor(train.y, [train.count], 'int32');
    return {
      async fit(epochs, hooks) {
        const timing: Callback = {
          onEpochBegin: (epoch: number) => hooks.onEpochBegin(epoch),
          onEpochEnd: (epoch: number, logs?: Logs) => hooks.onEpochEnd(epoch, logs?.loss ?? NaN, logs?.accuracy ?? NaN),
          // Our callbacks are plain calls, so a per-batch memory sample costs only the sample.
          onBatchEnd: () => hooks.onBatchEnd(),
        };
        await model.fit(x, y, { epochs, batchSize: spec.batchSize, shuffle: true, verbose: 0, callbacks: [timing] });
      },
      dispose() {
        dispose([x, y]);
        model.optimizer?.dispose();
        model.dispose();
      },
    };
  }

  async predictor(spec: ModelSpec, test: Images): Promise<Predictor> {
    const model = buildModel(spec);
    const x = tensor(test.x, shapeFor(spec, test), 'float32');
    return {
      model,
      run: () => readAndDispose(model.predict(x, { batchSize: PREDICT_BATCH })),
      dispose() {
        x.dispose();
        model.dispose();
      },
    };
  }

  smallAdd(): PreparedOp {
    const a = tensor(operandValues(4, 1), [4], 'float32');
    const b = tensor(operandValues(4, 2), [4], 'float32');
    return {
      run: () => add(a, b).dispose(),
      dispose: () => dispose([a, b]),
    };
  }

  matMul(shape: MatMulShape): PreparedOp {
    const [aShape, bShape] = operandShapes(shape);
    const a = tensor(operandValues(aShape[0] * aShape[1], 3), aShape, 'float32');
    const b = tensor(operandValues(bShape[0] * bShape[1], 4), bShape, 'float32');
    return {
      run() {
        const product = matMul(a, b, shape.transposeA, shape.transposeB);
        try {
          product.dataSync();
        } finally {
          product.dispose();
        }
      },
      dispose: () => dispose([a, b]),
    };
  }
}
