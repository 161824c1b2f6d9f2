import type { Logs } from '../callbacks/index.js';

/**
 * Logs whose values are read when first looked at: a step's logs, while its losses and metrics
 * wait on the device (compile's stepsPerExecution), so that a step whose logs nobody reads does
 * not wait. Each value is read once and then held; keys can be set and deleted as in any logs.
 * Read them before the next step, which moves the running values on.
 */
export function lazyLogs(entries: readonly (readonly [string, () => number])[]): Logs {
  const logs: Logs = {};
  const hold = (name: string, value: number): void => {
    Object.defineProperty(logs, name, { value, enumerable: true, configurable: true, writable: true });
  };
  for (const [name, read] of entries) {
    Object.defineProperty(logs, name, {
      enumerable: true,
      configurable: true,
      get: () => {
        const value = read();
        hold(name, value);
        return value;
      },
      set: (value: number) => hold(name, value),
    });
  }
  return logs;
}
