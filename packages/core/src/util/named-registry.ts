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
export function lookupByName<T>(caller: string, kind: string, identifier: string, entries: readonly NamedEntry<T>[], hint = ''): T {
  const key = nameKey(identifier);
  const entry = entries.find((e) => nameKey(e.name) === key || (e.aliases ?? []).some((a) => nameKey(a) === key));
  if (!entry) {
    const known = entries.map((e) => (e.aliases?.length ? `${e.name} (${e.aliases.join(', ')})` : e.name));
    throw new Error(`${caller}: unknown ${kind} '${identifier}'; expected one of ${known.join(', ')} (camelCase or snake_case)${hint}`);
  }
  return entry.create();
}

/** A registry entry: its camelCase name, other accepted spellings, and how to build it from a config. */
export type Factory<T> = readonly [name: string, aliases: readonly string[], create: (config: Record<string, unknown>) => T];

/**
 * Resolves what getInitializer, getLoss and getOptimizer accept: an instance (returned as is),
 * a name (built with defaults), or `{className, config}` as written by `getConfig` (built with
 * that config); anything else is an error naming `caller` and what was given.
 */
export function resolveIdentifier<T>(
  caller: string, kind: string, identifier: unknown, isInstance: (x: unknown) => x is T, factories: readonly Factory<T>[],
): T {
  if (isInstance(identifier)) return identifier;
  const all = [...factories, ...((REGISTERED.get(kind) ?? []) as Factory<T>[])];
  const build = (name: string, config: Record<string, unknown>, hint?: string) =>
    lookupByName(caller, kind, name, all.map(([entry, aliases, create]) => ({ name: entry, aliases, create: () => create(config) })), hint);
  if (typeof identifier === 'string') return build(identifier, {});
  if (identifier !== null && typeof identifier === 'object' && typeof (identifier as { className?: unknown }).className === 'string') {
    // A class name, as a saved model holds it, may be a class of the user's own.
    const { className, config } = identifier as { className: string; config?: Record<string, unknown> };
    return build(className, { ...config }, `; a class of your own is found once registered with registerSerializable('${kind}', '${className}', factory)`);
  }
  throw new Error(`${caller}: expected a ${kind} name, a ${kind} object or {className, config}, got ${JSON.stringify(identifier)}`);
}

/** The kinds of object a saved model names by class (Keras's serializable objects besides layers). */
export type SerializableKind = 'loss' | 'metric' | 'optimizer' | 'learning rate schedule' | 'initializer' | 'regularizer';

const KINDS: readonly SerializableKind[] = ['loss', 'metric', 'optimizer', 'learning rate schedule', 'initializer', 'regularizer'];

/** Classes of the user's own, by kind. */
const REGISTERED = new Map<string, Factory<unknown>[]>();

/** The built-in classes of each kind, which a class of the user's own may not take the name of. */
const BUILT_IN = new Map<SerializableKind, readonly Factory<unknown>[]>();

/** Declares the built-in `factories` of `kind` (each get* module does, once) and returns them. */
export function builtIns<T>(kind: SerializableKind, factories: readonly Factory<T>[]): readonly Factory<T>[] {
  BUILT_IN.set(kind, factories);
  return factories;
}

/**
 * Makes a class of your own that a saved model names (a loss, metric, optimizer, learning-rate
 * schedule, initializer or regularizer) loadable, as Keras's register_keras_serializable:
 * `create` rebuilds it from its `getConfig()`. Layers register with `registerClass`.
 * `registerSerializable('regularizer', 'MaxNorm', (config) => new MaxNorm(config))`.
 */
export function registerSerializable<T>(kind: SerializableKind, className: string, create: (config: Record<string, unknown>) => T): void {
  if (!KINDS.includes(kind)) throw new Error(`registerSerializable: kind must be one of ${KINDS.join(', ')}, got ${JSON.stringify(kind)}`);
  if (typeof className !== 'string' || className === '' || typeof create !== 'function') {
    throw new Error(`registerSerializable: expected a class name and a function building the ${kind} from its config, got ${JSON.stringify(className)} and ${typeof create}`);
  }
  // Built-in names are looked up first, so a model saved with a class of the same name would
  // load back as the built-in one without a word.
  const key = nameKey(className);
  const builtIn = (BUILT_IN.get(kind) ?? []).find(([name, aliases]) => [name, ...aliases].some((n) => nameKey(n) === key));
  if (builtIn) {
    throw new Error(`registerSerializable: '${className}' is the name of the built-in ${kind} '${builtIn[0]}'; give your class another static className and register it under that name`);
  }
  const entries = REGISTERED.get(kind) ?? [];
  const entry: Factory<unknown> = [className, [], create];
  const existing = entries.findIndex(([name]) => name === className);
  if (existing >= 0) entries[existing] = entry;
  else entries.push(entry);
  REGISTERED.set(kind, entries);
}
