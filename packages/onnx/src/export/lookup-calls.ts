import { IntegerLookup, type Layer, type Tensor } from '@perceptron/core';
import { layersUnder } from './layers-under.js';

// IntegerLookup looks its tokens up on the host (a Map), so a trace sees its indices as a
// constant, computed from the dummy inputs. While tracing, the calls of the lookups the graph can
// make are watched, and their outputs become 'integerLookup' ops on their inputs
// (lookup-mapping.ts): 'int' output, out-of-vocabulary tokens by floormod into one or more
// indices, not inverted. Other lookups stay constants, which the exporter refuses once their
// shape follows the batch.

/** What one watched call read, and the settings its op needs. */
export interface LookupCall {
  readonly input: Tensor;
  readonly attrs: {
    /** The vocabulary's tokens, in index order from `tokenStart`. */
    readonly tokens: readonly number[];
    readonly tokenStart: number;
    /** Where the OOV indices start, and how many there are. */
    readonly oovStart: number;
    readonly oovIndices: number;
    /** Index 0's token, or null. */
    readonly maskToken: number | null;
  };
}

function graphable(layer: Layer): layer is IntegerLookup {
  // A layer given a call of its own keeps it: only the class's is watched.
  if (layer.constructor !== IntegerLookup || Object.hasOwn(layer, 'call')) return false;
  const lookup = layer as IntegerLookup;
  return lookup.outputMode === 'int' && !lookup.invert && lookup.oovMethod === 'floormod' && lookup.numOovIndices > 0;
}

/**
 * Runs `fn` with the calls of each IntegerLookup layer under `model` whose lookup the graph can
 * make recorded by their output: the layers' own `call` is shadowed meanwhile, then restored.
 */
export function watchingLookups<T>(model: Layer, fn: (calls: ReadonlyMap<Tensor, LookupCall>) => T): T {
  const calls = new Map<Tensor, LookupCall>();
  const lookups = layersUnder(model).filter(graphable);
  for (const lookup of lookups) {
    const call = IntegerLookup.prototype.call;
    const oovStart = lookup.maskToken === null ? 0 : 1;
    const attrs = {
      tokens: lookup.getVocabulary(false) as number[], tokenStart: oovStart + lookup.numOovIndices,
      oovStart, oovIndices: lookup.numOovIndices, maskToken: lookup.maskToken,
    };
    lookup.call = (inputs: Tensor) => {
      const output = call.call(lookup, inputs);
      calls.set(output, { input: inputs, attrs });
      return output;
    };
  }
  try {
    return fn(calls);
  } finally {
    for (const lookup of lookups) delete (lookup as { call?: unknown }).call;
  }
}
