// Layers and models refuse config keys no class of theirs takes, as Keras's Layer refuses
// keyword arguments: a misspelt option would otherwise leave its default in place without a
// word (`activaton: 'relu'` builds a linear layer). A user's class is checked once it lists its
// own options.
import '@perceptron/backend-naive';
import * as pc from '@perceptron/core';
import { beforeAll, describe, expect, it } from 'vitest';

const isLayerClass = (value: unknown): value is pc.LayerClass & { options?: pc.OptionList } =>
  typeof value === 'function' && value.prototype instanceof pc.Layer;

describe('layer options', () => {
  beforeAll(async () => {
    await pc.setBackend('naive');
  });

  it('a misspelt option is an error naming the class, the option and the options the class takes', () => {
    expect(() => new pc.Dense(8, { activaton: 'relu' } as never)).toThrow(
      "Dense: unknown option 'activaton'; expected one of units, activation, useBias, kernelInitializer, biasInitializer, kernelRegularizer, biasRegularizer, name, trainable, dtype, inputShape, batchInputShape, activityRegularizer",
    );
    expect(() => new pc.LSTM(4, { return_sequences: true } as never)).toThrow("LSTM: unknown option 'return_sequences'; expected one of unitForgetBias, recurrentActivation, units,");
    expect(() => new pc.Conv2D(4, 3, { padding: 'same', stride: 2 } as never)).toThrow("Conv2D: unknown option 'stride'");
    expect(() => new pc.Dropout(0.5, { noise_shape: [null, 1] } as never)).toThrow("Dropout: unknown option 'noise_shape'");
    expect(() => new pc.BatchNormalization({ momentun: 0.9 } as never)).toThrow("BatchNormalization: unknown option 'momentun'");
    expect(() => pc.Input({ shape: [3], dtyp: 'int32' } as never)).toThrow("Input: unknown option 'dtyp'; expected one of shape, batchSize, name, dtype");
  });

  it('takes the options of every class from the layer up to Layer', () => {
    const conv = new pc.Conv2D({ groups: 2, filters: 4, kernelSize: 3, useBias: false, name: 'grouped', inputShape: [8, 8, 2] });
    expect(conv.getConfig()).toMatchObject({ groups: 2, filters: 4, kernelSize: [3, 3], useBias: false, name: 'grouped', batchInputShape: [null, 8, 8, 2] });
    const gru = new pc.GRU(3, { resetAfter: false, recurrentActivation: 'hardSigmoid', returnSequences: true, trainable: false });
    expect(gru.getConfig()).toMatchObject({ resetAfter: false, recurrentActivation: 'hardSigmoid', returnSequences: true, trainable: false, units: 3 });
  });

  it('every registered layer and model class lists its own options, and rebuilds from its config', () => {
    const classes = (Object.values(pc) as unknown[]).filter(isLayerClass).filter((cls) => {
      try {
        return pc.getRegisteredClass(cls.className ?? cls.name) === cls;
      } catch {
        return false;
      }
    });
    expect(classes.length).toBeGreaterThan(60);
    expect(classes.filter((cls) => !Object.hasOwn(cls, 'options')).map((cls) => cls.name)).toEqual([]);
    // A saved config holds only options the class takes.
    const layers: pc.Layer[] = [new pc.Dense(2, { activation: 'relu' }), new pc.DepthwiseConv2D({ kernelSize: 3, depthMultiplier: 2 }), new pc.SeparableConv1D(4, 3),
      new pc.SpatialDropout2D(0.2), new pc.Bidirectional(new pc.LSTM(2), { mergeMode: 'sum' }), new pc.TimeDistributed(new pc.Dense(3)), new pc.UpSampling2D(2, { interpolation: 'nearest' })];
    for (const layer of layers) expect(pc.deserializeLayer(pc.serializeLayer(layer)).getConfig()).toEqual({ ...layer.getConfig(), name: expect.any(String) });
  });

  it("the depthwise layers refuse KernelLayer's names for their kernels' settings, and the spatial dropouts a noise shape", () => {
    expect(() => new pc.DepthwiseConv2D({ kernelSize: 3, kernelInitializer: 'zeros' } as never)).toThrow(
      "DepthwiseConv2D: unknown option 'kernelInitializer'; the kernels' settings are depthwiseInitializer and depthwiseRegularizer",
    );
    expect(() => new pc.DepthwiseConv1D({ kernelSize: 3, kernelRegularizer: 'l2' } as never)).toThrow("DepthwiseConv1D: unknown option 'kernelRegularizer'");
    expect(() => new pc.SeparableConv2D(4, 3, { kernelInitializer: 'zeros' } as never)).toThrow(
      "SeparableConv2D: unknown option 'kernelInitializer'; the kernels' settings are depthwiseInitializer, depthwiseRegularizer, pointwiseInitializer and pointwiseRegularizer",
    );
    expect(() => new pc.SpatialDropout1D(0.3, { noiseShape: [null, 1, 1] } as never)).toThrow("SpatialDropout1D: unknown option 'noiseShape'; a spatial dropout's noise shape is fixed");
  });

  it('models check theirs: Sequential, a functional model, and not a subclassed model', () => {
    expect(() => new pc.Sequential({ layer: [new pc.Dense(1)] } as never)).toThrow("Sequential: unknown option 'layer'; expected one of layers, name,");
    const inputs = pc.Input({ shape: [2] });
    const outputs = new pc.Dense(1).apply(inputs);
    expect(() => new pc.Model({ inputs, outputs, nmae: 'net' } as never)).toThrow("Functional: unknown option 'nmae'; expected one of inputs, outputs, name,");
    class Subclassed extends pc.Model {
      readonly scale: number;
      constructor(config: pc.LayerConfig & { scale: number }) {
        super(config);
        this.scale = config.scale;
      }
    }
    expect(new Subclassed({ scale: 2 }).scale).toBe(2);
  });

  it("a user's class is checked once it lists its own options, with those of the classes it extends", () => {
    interface ScaledConfig extends pc.LayerConfig { factor?: number }
    class Unlisted extends pc.Layer {
      readonly factor: number;
      constructor(config: ScaledConfig = {}) {
        super(config);
        this.factor = config.factor ?? 1;
      }
    }
    class Listed extends Unlisted {
      static override readonly options: pc.OptionList = { factor: true } satisfies pc.OwnOptions<ScaledConfig, pc.LayerConfig>;
    }
    class WiderDense extends pc.Dense {}
    expect(new Unlisted({ factor: 3, anything: 1 } as never).factor).toBe(3);
    expect(new Listed({ factor: 3, name: 'scaled' }).factor).toBe(3);
    expect(() => new Listed({ factr: 3 } as never)).toThrow("Listed: unknown option 'factr'; expected one of factor, name, trainable,");
    expect(new WiderDense(2, { extra: true } as never).units).toBe(2);
  });

  it("apply refuses a call option no class of the layer takes, eager or symbolic, before it runs or builds anything", () => {
    const dropout = new pc.Dropout(0.5);
    const x = pc.ones([4, 8]);
    const before = pc.memory().numTensors;
    expect(() => dropout.apply(x, { trainig: true })).toThrow(`Dropout '${dropout.name}'.apply: unknown option 'trainig'; expected one of training, mask, keepOutputMask`);
    expect(pc.memory().numTensors).toBe(before);
    const dense = new pc.Dense(2);
    expect(() => dense.apply(pc.Input({ shape: [3] }), { attentionMask: null })).toThrow(`Dense '${dense.name}'.apply: unknown option 'attentionMask'`);
    expect(dense.built).toBe(false);
    const mha = new pc.MultiHeadAttention({ numHeads: 1, keyDim: 2 });
    const sequence = pc.ones([1, 3, 4]);
    expect(() => mha.apply([sequence, sequence], { causalMask: true })).toThrow(
      `MultiHeadAttention '${mha.name}'.apply: unknown option 'causalMask'; expected one of attentionMask, useCausalMask, training, mask, keepOutputMask`,
    );
    // What the layer takes still works: a causal mask, and training that drops.
    const causal = mha.apply([sequence, sequence], { useCausalMask: true }) as pc.Tensor;
    expect(causal.shape).toEqual([1, 3, 4]);
    const dropped = dropout.apply(x, { training: true }).dataSync();
    expect(dropped.some((v) => v === 0) && dropped.some((v) => v === 2)).toBe(true);
    // A recurrent layer lists initialState so that it can say where the states go.
    const lstm = new pc.LSTM(2);
    expect(() => lstm.apply(sequence, { initialState: [] })).toThrow('expected the initial states in the inputs list');
    pc.dispose([x, sequence, causal]);
  });

  it("a user's layer that lists its options is checked in its call too, with the call options it lists", () => {
    class Gated extends pc.Layer {
      static override readonly options: pc.OptionList = {};
      static override readonly callOptions: pc.OptionList = { gate: true };
      override call(inputs: pc.Tensor | pc.Tensor[], kwargs: pc.CallKwargs = {}): pc.Tensor {
        const x = inputs as pc.Tensor;
        return kwargs.gate === false ? pc.mul(x, 0) : x;
      }
    }
    class Unlisted extends pc.Layer {}
    const x = pc.ones([2, 2]);
    const gated = new Gated();
    const closed = gated.apply(x, { gate: false });
    expect(Array.from(closed.dataSync())).toEqual([0, 0, 0, 0]);
    expect(() => gated.apply(x, { gat: false })).toThrow(`Gated '${gated.name}'.apply: unknown option 'gat'; expected one of gate, training, mask, keepOutputMask`);
    const passed = new Unlisted().apply(x, { anything: 1 }) as pc.Tensor;
    expect(Array.from(passed.dataSync())).toEqual([1, 1, 1, 1]);
    pc.dispose([x, closed, passed]);
  });

  it('a refused layer takes no name: the next layer gets the one it would have had', () => {
    const first = new pc.Dense(1);
    expect(() => new pc.Dense(1, { units2: 3 } as never)).toThrow("Dense: unknown option 'units2'");
    const next = Number(/_(\d+)$/.exec(first.name)?.[1] ?? 0) + 1;
    expect(new pc.Dense(1).name).toBe(`dense_${next}`);
  });

  it('a saved model whose config holds an unknown option is an error naming the file and the option', async () => {
    const model = new pc.Sequential([pc.Input({ shape: [2] }), new pc.Dense(1, { name: 'out' })]);
    const store = pc.memoryStore();
    await model.save(store);
    const json = JSON.parse(new TextDecoder().decode(store.files.get('model.json'))) as { config: { layers: { config: Record<string, unknown> }[] } };
    json.config.layers[1]!.config.activaton = 'relu';
    store.files.set('model.json', new TextEncoder().encode(JSON.stringify(json)));
    await expect(pc.loadModel(store)).rejects.toThrow("loadModel: cannot rebuild the model saved in 'memory/model.json': Dense: unknown option 'activaton'");
    model.dispose();
  });
});
