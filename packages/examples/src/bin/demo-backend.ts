import { BackendUnavailableError, registerNodeBackends, useBackend } from '../backends.js';

/** Registers the backends and activates the one named on the command line (default: fastest). */
export async function demoBackend(): Promise<string> {
  for (const problem of await registerNodeBackends()) console.warn(problem);
  try {
    const name = await useBackend(process.argv[2] ?? null);
    console.log(`Backend: ${name}\n`);
    return name;
  } catch (error) {
    if (!(error instanceof BackendUnavailableError)) throw error;
    console.error(`error: ${error.message}`);
    process.exit(2);
  }
}
