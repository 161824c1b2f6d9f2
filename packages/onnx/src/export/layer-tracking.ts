import type { Layer } from '@perceptron/core';

type CallFn = Layer['call'];

/**
 * Runs `fn` with every layer of `root`'s tree (root included) reporting when its `call` runs, so
 * each traced op can be attributed to the innermost layer computing it. Core's `traceOps` does not
 * say which layer is running; wrapping `call` on the instances, and restoring it afterwards, does.
 * `fn` receives a function returning the current layer path, outermost first.
 */
export function withLayerTracking<T>(root: Layer, fn: (currentPath: () => readonly string[]) => T): T {
  const stack: string[] = [];
  const restore: (() => void)[] = [];
  const visit = (layer: Layer, seen: Set<Layer>): void => {
    if (seen.has(layer)) return;
    seen.add(layer);
    const own = Object.prototype.hasOwnProperty.call(layer, 'call');
    const previous = (layer as { call: CallFn }).call;
    (layer as { call: CallFn }).call = function tracked(this: Layer, ...args: Parameters<CallFn>) {
      stack.push(layer.name);
      try {
        return previous.apply(this, args);
      } finally {
        stack.pop();
      }
    };
    restore.push(() => {
      if (own) (layer as { call: CallFn }).call = previous;
      else delete (layer as { call?: CallFn }).call;
    });
    for (const child of layer.childLayers) visit(child, seen);
  };
  visit(root, new Set());
  try {
    return fn(() => [...stack]);
  } finally {
    for (const undo of restore) undo();
  }
}
