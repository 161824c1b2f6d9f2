/**
 * Default layer names, as Keras makes them: the class name in snake_case, then `_1`, `_2`, ...
 * for later instances of the same name in this process ('dense', 'dense_1', ...).
 */
const counters = new Map<string, number>();

/**
 * Keras's to_snake_case: 'PerceptronLayer' -> 'perceptron_layer', 'Conv2D' -> 'conv2d',
 * 'MaxPooling2D' -> 'max_pooling2d' (a digit does not start a word).
 */
export function toSnakeCase(name: string): string {
  return name.replace(/(.)([A-Z][a-z]+)/g, '$1_$2').replace(/([a-z])([A-Z])/g, '$1_$2').toLowerCase();
}

export function uniqueName(base: string): string {
  const seen = counters.get(base) ?? 0;
  counters.set(base, seen + 1);
  return seen === 0 ? base : `${base}_${seen}`;
}

/** Restarts default names ('dense' again), like `keras.backend.clear_session()`. */
export function clearSession(): void {
  counters.clear();
}
