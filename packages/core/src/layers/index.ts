// Public exports of this area; re-exported by src/index.ts.
export { Layer, type LayerConfig, type LayerInputs, type LayerOutput, type OutputOf, type SymbolicOutputOf, type OutputShape, type CallKwargs, type AddWeightOptions, type ConfigDict } from './layer.js';
export { SymbolicTensor, type Node } from './symbolic-tensor.js';
export { registerClass, getRegisteredClass, serializeLayer, deserializeLayer, type LayerClass, type SerializedLayer } from './registry.js';
export { clearSession } from './naming.js';
export { formatSymbolicShape, type SymbolicShape } from './symbolic-shape.js';
export { getActivation, type ActivationIdentifier } from './activations.js';
export { Dense, type DenseConfig } from './dense.js';
export { Activation, type ActivationConfig } from './activation.js';
export { Flatten } from './flatten.js';
export { Dropout, type DropoutConfig } from './dropout.js';
export { InputLayer, Input, type InputConfig } from './input-layer.js';
export { BatchNormalization, type BatchNormalizationConfig } from './batch-normalization.js';
export { LayerNormalization, type LayerNormalizationConfig } from './layer-normalization.js';
export { Conv2D, type Conv2DConfig } from './conv2d.js';
export { Pooling2D, MaxPooling2D, AveragePooling2D, type Pooling2DConfig } from './pooling-2d.js';
export { Pooling, type PoolingConfig, type PoolReduction } from './pooling.js';
export { Pooling1D, MaxPooling1D, AveragePooling1D, type Pooling1DConfig } from './pooling-1d.js';
export {
  GlobalPooling, GlobalAveragePooling1D, GlobalMaxPooling1D, GlobalAveragePooling2D, GlobalMaxPooling2D,
  type GlobalPoolingConfig, type GlobalAveragePooling2DConfig,
} from './global-pooling.js';
export { Reshape, type ReshapeConfig } from './reshape-layer.js';
export type { Padding } from '../ops/window-geometry.js';
export { Embedding, type EmbeddingConfig } from './embedding.js';
export { Masking, type MaskingConfig } from './masking.js';
export type { Mask, LayerMask } from './mask.js';
export { Recurrent, type RecurrentConfig, type RecurrentOutput } from './recurrent.js';
export { GatedRecurrent, type GatedRecurrentConfig } from './gated-recurrent.js';
export { SimpleRNN } from './simple-rnn.js';
export { LSTM, type LSTMConfig } from './lstm.js';
export { GRU, type GRUConfig } from './gru.js';
export { KernelLayer, type KernelLayerConfig } from './kernel-layer.js';
export { Merge, Add, Subtract, Multiply, Average, Maximum, Minimum } from './merge.js';
export { Concatenate, type ConcatenateConfig } from './concatenate.js';
export { Bidirectional, type BidirectionalConfig, type BidirectionalMergeMode, type BidirectionalOutput } from './bidirectional.js';
export { TimeDistributed } from './time-distributed.js';
export { Conv1D, type Conv1DConfig, type Padding1D } from './conv1d.js';
export { Dot, type DotConfig } from './dot.js';
export { type Edges, type EdgesArgument } from './spatial-arguments.js';
export { ZeroPadding, ZeroPadding1D, ZeroPadding2D, type ZeroPaddingConfig } from './zero-padding.js';
export { Cropping, Cropping1D, Cropping2D, type CroppingConfig } from './cropping.js';
export { UpSampling, UpSampling1D, UpSampling2D, type UpSamplingConfig, type UpSampling2DConfig } from './up-sampling.js';
export { RepeatVector, type RepeatVectorConfig } from './repeat-vector.js';
export { Permute, type PermuteConfig } from './permute.js';
export { ReLU, LeakyReLU, type ReLUConfig, type LeakyReLUConfig } from './relu-layers.js';
export { PReLU, type PReLUConfig } from './prelu.js';
export { ELU, type ELUConfig } from './elu-layer.js';
export { Softmax, type SoftmaxConfig } from './softmax-layer.js';
