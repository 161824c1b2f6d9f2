/**
 * The `training` flag of the outermost `apply` in progress. A model's `call` usually applies its
 * child layers without repeating `{training}`; they inherit it from here, as in Keras.
 */
let current: boolean | undefined;

export function currentTraining(): boolean | undefined {
  return current;
}

export function withTraining<T>(training: boolean, fn: () => T): T {
  const previous = current;
  current = training;
  try {
    return fn();
  } finally {
    current = previous;
  }
}
