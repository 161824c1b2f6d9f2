import { ENGINE, type OpObserver } from './engine.js';

/**
 * Runs `fn` and calls `onOp` for every op it executes, in order, with the op's inputs, output,
 * settings and the path of layers applying it: how the ONNX exporter sees a forward pass. Inputs that no traced op produced
 * are constants or variables; read their values inside `onOp` (literal operands are freed right
 * after their op).
 */
export function traceOps<T>(fn: () => T, onOp: OpObserver): T {
  if (typeof fn !== 'function' || typeof onOp !== 'function') {
    throw new Error(`traceOps: expected two functions (fn, onOp), got ${typeof fn} and ${typeof onOp}`);
  }
  ENGINE.observers.push(onOp);
  try {
    return fn();
  } finally {
    ENGINE.observers.splice(ENGINE.observers.lastIndexOf(onOp), 1);
  }
}
