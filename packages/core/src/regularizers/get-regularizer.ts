import { builtIns, resolveIdentifier } from '../util/named-registry.js';
import { L1, L1L2, L2 } from './l1-l2.js';
import { Regularizer, type RegularizerConfig } from './regularizer.js';

/** What `getRegularizer` accepts: a name, an instance, or a serialized `{className, config}`. */
export type RegularizerIdentifier = string | Regularizer | { className: string; config?: RegularizerConfig };

const FACTORIES = builtIns<Regularizer>('regularizer', [
  ['l1', [], (c) => new L1(c)],
  ['l2', [], (c) => new L2(c)],
  ['l1L2', [], (c) => new L1L2(c)],
]);

/**
 * Resolves a regularizer: 'l2' / 'L2' / 'l1_l2' (Keras's defaults), a Regularizer (returned as
 * is), or `{className, config}` as a saved layer config holds it.
 */
export function getRegularizer(identifier: RegularizerIdentifier): Regularizer {
  return resolveIdentifier('getRegularizer', 'regularizer', identifier, (x): x is Regularizer => x instanceof Regularizer, FACTORIES);
}

/** A setting that may name no regularizer: null (or absent) is none, anything else as getRegularizer. */
export function optionalRegularizer(identifier: RegularizerIdentifier | null | undefined): Regularizer | null {
  return identifier == null ? null : getRegularizer(identifier);
}

/** A regularizer as JSON (`{className, config}`), or null for none, as Keras's get_config. */
export function serializeRegularizer(regularizer: Regularizer | null): { className: string; config: RegularizerConfig } | null {
  return regularizer && { className: regularizer.className, config: regularizer.getConfig() };
}
