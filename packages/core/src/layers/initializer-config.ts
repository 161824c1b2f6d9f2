import { Initializer, type InitializerIdentifier } from '../initializers/index.js';

/** An initializer as JSON: names stay names, instances become `{className, config}`. */
export function serializeInitializer(identifier: InitializerIdentifier): InitializerIdentifier {
  return identifier instanceof Initializer ? { className: identifier.className, config: identifier.getConfig() } : identifier;
}
