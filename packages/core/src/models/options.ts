import { isPlainObject } from '../util/plain-object.js';

/**
 * Checks an options object against its complete list of keys (a Record over the options type,
 * so adding an option without listing it fails typecheck). JavaScript callers, and Keras users
 * writing `batch_size` or `classWeight`, would otherwise have a misspelt or unsupported option
 * ignored without a word.
 */
export function checkOptions(caller: string, options: unknown, known: Readonly<Record<string, true>>): void {
  if (options === undefined) return;
  if (!isPlainObject(options)) throw new Error(`${caller}: expected an options object, got ${options === null ? 'null' : typeof options}`);
  const names = Object.keys(known);
  for (const key of Object.keys(options)) {
    if (!Object.hasOwn(known, key)) throw new Error(`${caller}: unknown option '${key}'; expected one of ${names.join(', ')}`);
  }
}
