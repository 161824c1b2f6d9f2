// Calls that run only to learn output shapes and dtypes: a call on symbolic tensors runs the
// layer once on zeros, and so does the default computeOutputShape. A layer that keeps something
// from one call to the next (a stateful recurrent layer's states) leaves it alone in such a run,
// which is not a call on data.

/** How many dry runs are in progress (they nest: a layer's run on zeros applies its children). */
let depth = 0;

/** Whether the calls in progress are a dry run. */
export function inDryRun(): boolean {
  return depth > 0;
}

/** Runs `fn` as a dry run. */
export function asDryRun<T>(fn: () => T): T {
  depth++;
  try {
    return fn();
  } finally {
    depth--;
  }
}
