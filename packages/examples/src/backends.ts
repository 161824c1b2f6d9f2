import { defaultBackendName, listBackends, setBackend } from '@perceptron/core';
import '@perceptron/backend-naive';
import '@perceptron/backend-simd';

/**
 * Registers every backend package installed here. The tfjs package is optional: if it cannot be
 * imported the lab still runs on the naive backend and says why tfjs is missing.
 */
export async function registerNodeBackends(): Promise<string[]> {
  const problems: string[] = [];
  try {
    await import('@perceptron/backend-tfjs');
  } catch (error) {
    problems.push(`@perceptron/backend-tfjs could not be loaded: ${(error as Error).message}`);
  }
  return problems;
}

/** Names of the backends that can run in this process, fastest (highest priority) first. */
export function availableBackends(): string[] {
  return listBackends().filter((b) => b.available).map((b) => b.name);
}

/** The backend asked for is not registered or cannot run here; the CLI treats it as a bad flag. */
export class BackendUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BackendUnavailableError';
  }
}

/** Activates `name`, or the fastest available backend when null; returns the name used. */
export async function useBackend(name: string | null): Promise<string> {
  const chosen = name ?? defaultBackendName();
  const info = listBackends().find((b) => b.name === chosen);
  if (!info) throw new BackendUnavailableError(`backend '${chosen}' is not registered here; available: ${availableBackends().join(', ')}`);
  if (!info.available) throw new BackendUnavailableError(`backend '${chosen}' is not available here: ${info.reason}`);
  await setBackend(chosen);
  return chosen;
}
