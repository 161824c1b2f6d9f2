/**
 * Writes `data` to `path` through a temporary file beside it and a rename, so a reader (or a
 * crash half-way) sees the old file or the new one, never half of one. Creates the folder.
 * Node only: node:fs is loaded on first use, hidden from bundlers, so browser builds of core
 * are not troubled.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const load = <T>(specifier: string): Promise<T> => import(/* @vite-ignore */ specifier) as Promise<T>;
  const [{ mkdir, writeFile, rename, rm }, { dirname }] = await Promise.all([
    load<typeof import('node:fs/promises')>('node:fs/promises'),
    load<typeof import('node:path')>('node:path'),
  ]);
  const temporary = `${path}.${process.pid}.${Date.now()}.tmp`;
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(temporary, data);
    await rename(temporary, path);
  } catch (error) {
    // Best-effort cleanup: when the folder itself is unusable, rm fails too, and the first
    // error is the one that says what is wrong.
    await rm(temporary, { force: true }).catch(() => {});
    throw new Error(`could not write '${path}': ${(error as Error).message}`, { cause: error });
  }
}
