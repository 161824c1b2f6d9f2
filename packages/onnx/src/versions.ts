/**
 * The IR version each opset shipped with (ONNX's versioning table): a model stamps the IR
 * version of the release that introduced its opset, so older runtimes can still read it.
 */
const IR_VERSION_OF_OPSET: Readonly<Record<number, number>> = {
  13: 7, 14: 7, 15: 8, 16: 8, 17: 8, 18: 8, 19: 9, 20: 9, 21: 10,
};

/** The opset `exportOnnx` writes unless told otherwise. */
export const DEFAULT_OPSET = 17;
/** The opsets `exportOnnx` can write. */
export const SUPPORTED_OPSETS: readonly number[] = Object.keys(IR_VERSION_OF_OPSET).map(Number);

/** The IR version for `opset`, or an error listing the opsets the exporter can write. */
export function irVersionFor(opset: number): number {
  const ir = IR_VERSION_OF_OPSET[opset];
  if (ir === undefined) {
    throw new Error(`exportOnnx: opset ${JSON.stringify(opset)} is not supported; expected one of ${SUPPORTED_OPSETS.join(', ')}`);
  }
  return ir;
}
