// Modules vite.config.ts makes up.

declare module 'virtual:perceptron-onnx' {
  /** @perceptron/onnx's exporter: the model as ONNX protobuf bytes; null until that package exists. */
  export const exportOnnx: ((model: unknown) => Uint8Array | ArrayBuffer | Promise<Uint8Array | ArrayBuffer>) | null;
  /** Why exportOnnx is null. */
  export const onnxUnavailable: string | null;
}
