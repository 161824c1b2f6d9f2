import { isPlainObject } from './plain-object.js';

/**
 * Checks an options object against its complete list of keys (a Record over the options type,
 * so adding an option without listing it fails typecheck). JavaScript callers, and Keras users
 * writing `batch_size` or `class_weight`, would otherwise have a misspelt or unsupported option
 * ignored without a word. Returns the options without those set to null, which mean "not
 * given", as Keras's None does (`sampleWeight: weighted ? w : null`).
 */
export function checkOptions<T extends object>(caller: string, options: T | undefined, known: Readonly<Record<keyof T, true>>): T {
  if (options === undefined) return {} as T;
  if (!isPlainObject(options)) throw new Error(`${caller}: expected an options object, got ${options === null ? 'null' : typeof options}`);
  const names = Object.keys(known);
  for (const key of Object.keys(options)) {
    if (!Object.hasOwn(known, key)) throw new Error(`${caller}: unknown option '${key}'; expected one of ${names.join(', ')}`);
  }
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== null)) as T;
}
