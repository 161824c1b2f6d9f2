import type { FileStore } from './file-store.js';
import { parseJson } from './json-file.js';
import { MODEL_FILE } from './model-json.js';

/**
 * The weights file `model.json` points to when it describes `data`: named by its checksum.
 * 16 hex digits (64 bits) keep two different weights files of one folder from sharing a name.
 */
function weightsFileName(sha256: string): string {
  return `weights-${sha256.slice(0, 16)}.bin`;
}

/** Weights files this code wrote (content-addressed, or 'weights.bin' before that): the only ones it deletes. */
const OWN_WEIGHTS_FILE = /^weights(-[0-9a-f]{16})?\.bin$/;

/**
 * Writes a saved model's two files so the folder always loads as the complete old version or the
 * complete new one. Every store replaces single files atomically, but not the pair: writing
 * `weights.bin` then `model.json` left, when the second write failed (a full disk, a kill), the
 * old model.json beside the new weights, and a folder that loads neither.
 *
 * So the new weights go to a new file named by their checksum, leaving the old weights untouched;
 * then model.json, now naming the new file, replaces the old one in one atomic write: that write
 * is the commit. Only then is the old weights file removed. A swap of temporary folders would do
 * as well on a disk, but needs folder renames, which a FileStore (IndexedDB, a memory map) does
 * not offer; this needs nothing but its atomic single-file writes.
 *
 * Saving the same weights again rewrites the same name with the same bytes, so it is safe too.
 * A failure after the commit (the removal) can leave the old weights file behind: a stale file,
 * never a broken checkpoint.
 */
export function writeCheckpoint(store: FileStore, checkpoint: Promise<Checkpoint>): Promise<void> {
  // Saves into one location run one after the other, in the order they were called: two
  // interleaved ones (an un-awaited save, an autosave) would each remove the weights file the
  // other's model.json is about to name, and the last call must be the one that stays.
  const queued = SAVES_IN_PROGRESS.get(store.location) ?? Promise.resolve();
  const save = queued.then(async () => replaceCheckpoint(store, await checkpoint));
  const settled = save.then(() => {}, () => {});
  SAVES_IN_PROGRESS.set(store.location, settled);
  void settled.then(() => {
    if (SAVES_IN_PROGRESS.get(store.location) === settled) SAVES_IN_PROGRESS.delete(store.location);
  });
  return save;
}

/** For each store location, a promise that settles (never rejects) when its last queued save has. */
const SAVES_IN_PROGRESS = new Map<string, Promise<void>>();

/** A saved model: its weights file's bytes and checksum, and its model.json naming that file. */
export interface Checkpoint {
  data: Uint8Array;
  sha256: string;
  modelJson(weightsFile: string): Uint8Array;
}

async function replaceCheckpoint(store: FileStore, { data, sha256, modelJson }: Checkpoint): Promise<void> {
  const previous = await previousWeightsFile(store);
  const name = weightsFileName(sha256);
  await store.write(name, data);
  try {
    await store.write(MODEL_FILE, modelJson(name));
  } catch (error) {
    // Not committed: the new weights file is named by nothing, so it goes (unless it is the
    // current one, when the same weights were saved again).
    if (name !== previous) await store.remove?.(name).catch(() => {});
    throw error;
  }
  if (previous === null || previous === name || !store.remove) return;
  try {
    await store.remove(previous);
  } catch (error) {
    // The new checkpoint is complete; failing the save (and a training run's ModelCheckpoint)
    // over a leftover file would be worse than the leftover.
    console.warn(`save: the checkpoint in '${store.location}' is saved, but its previous weights file '${previous}' could not be removed: ${(error as Error).message}`);
  }
}

/** The weights file the folder's current model.json names, if there is one this code wrote. */
async function previousWeightsFile(store: FileStore): Promise<string | null> {
  try {
    const json = parseJson(await store.read(MODEL_FILE), MODEL_FILE) as { weights?: { path?: unknown } } | null;
    const path = json?.weights?.path;
    return typeof path === 'string' && OWN_WEIGHTS_FILE.test(path) ? path : null;
  } catch {
    // No model.json yet (a first save), or one that is not ours: nothing to clean up.
    return null;
  }
}
