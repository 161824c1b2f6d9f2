// Public exports of this area; re-exported by src/index.ts.
export { Layer, type LayerConfig, type CallKwargs, type AddWeightOptions, type ConfigDict } from './layer.js';
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
export { GlobalAveragePooling2D, type GlobalAveragePooling2DConfig } from './global-average-pooling-2d.js';
export { Reshape, type ReshapeConfig } from './reshape-layer.js';
export type { Padding } from './window-geometry.js';
