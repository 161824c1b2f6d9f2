/**
 * Name lookup shared by getInitializer, getLoss, getMetric and getOptimizer. Keras spells a
 * name in snake_case ('glorot_uniform'), TensorFlow.js in camelCase ('glorotUniform') and a class
 * name in PascalCase ('GlorotUniform'); all three reduce to one key by lowercasing and dropping
 * underscores, so each registry lists every name once.
 */
export interface NamedEntry<T> {
  /** camelCase name, shown in errors. */
  name: string;
  /** Other accepted spellings (Keras short names such as 'mse'). */
  aliases?: readonly string[];
  create: () => T;
}

export function nameKey(name: string): string {
  return name.toLowerCase().replace(/_/g, '');
}

/** Creates the entry named `identifier`, or throws listing every known name. */
export function lookupByName<T>(caller: string, kind: string, identifier: string, entries: readonly NamedEntry<T>[]): T {
  const key = nameKey(identifier);
  const entry = entries.find((e) => nameKey(e.name) === key || (e.aliases ?? []).some((a) => nameKey(a) === key));
  if (!entry) {
    const known = entries.map((e) => (e.aliases?.length ? `${e.name} (${e.aliases.join(', ')})` : e.name));
    throw new Error(`${caller}: unknown ${kind} '${identifier}'; expected one of ${known.join(', ')} (camelCase or snake_case)`);
  }
  return entry.create();
}
