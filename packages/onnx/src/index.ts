// Public API of @perceptron/onnx. Exporting pulls in no Node-only module at load time (the
// runtime wrapper imports onnxruntime-node when a model is loaded), so browsers can bundle it.
export { exportOnnx, type ExportOnnxOptions } from './export/export-onnx.js';
export { saveOnnx } from './export/save-onnx.js';
export { importOnnx, OnnxGraphModel } from './import/import-onnx.js';
export { OnnxModel, type OnnxModelOptions, type OnnxRunResult } from './runtime/onnx-model.js';
export { parseOnnx, type ParsedModel, type ValueSignature } from './model-file.js';
export { DEFAULT_INPUT_NAME, DEFAULT_OUTPUT_NAME, BATCH_DIM } from './names.js';
export { DEFAULT_OPSET, SUPPORTED_OPSETS } from './versions.js';
