import { getBackendName, setBackend } from '@perceptron/core';

/** Runs `fn` with `name` active, then makes the previously active backend active again. */
export async function onBackend<T>(name: string, fn: () => T): Promise<T> {
  const previous = getBackendName();
  await setBackend(name);
  try {
    return fn();
  } finally {
    if (previous !== null) await setBackend(previous);
  }
}
