/** Numbers this process's temporary files: two writes in one millisecond must not share one. */
let writes = 0;

/**
 * Writes `data` to `path` through a temporary file beside it and a rename, so a reader (or a
 * crash half-way) sees the old file or the new one, never half of one. Creates the folder.
 * Node only: node:fs is loaded on first use, hidden from bundlers, so browser builds of core
 * are not troubled.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const load = <T>(specifier: string): Promise<T> => import(/* @vite-ignore */ specifier) as Promise<T>;
  const [{ mkdir, open, rename, rm }, { dirname }] = await Promise.all([
    load<typeof import('node:fs/promises')>('node:fs/promises'),
    load<typeof import('node:path')>('node:path'),
  ]);
  const temporary = `${path}.${process.pid}.${Date.now()}.${writes++}.tmp`;
  try {
    await mkdir(dirname(path), { recursive: true });
    const file = await open(temporary, 'w');
    try {
      await file.writeFile(data);
      // On disk before the rename: otherwise a power cut can keep the rename but not the bytes,
      // leaving an empty file under the new name (a saved model's weights, which its model.json,
      // renamed next, already names).
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temporary, path);
  } catch (error) {
    // Best-effort cleanup: when the folder itself is unusable, rm fails too, and the first
    // error is the one that says what is wrong.
    await rm(temporary, { force: true }).catch(() => {});
    throw new Error(`could not write '${path}': ${(error as Error).message}`, { cause: error });
  }
}
