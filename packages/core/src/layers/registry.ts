import { classNameOf } from '../util/class-name.js';

export { classNameOf };
import type { ConfigDict, Layer } from './layer.js';

/** A layer (or model) class as the registry holds it. */
export interface LayerClass {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  new (...args: any[]): Layer;
  /** The constructor's own name (JavaScript's `Function.name`); the saved class name when the class declares no `className`. */
  readonly name: string;
  /** Stable name for serialization; survives minifiers, unlike the constructor's `name`. */
  readonly className?: string;
  /** A new layer of class `cls` from what its getConfig returned (Keras's `from_config`); deserializeLayer calls it with the registered class. */
  fromConfig(cls: LayerClass, config: ConfigDict): Layer;
}

/** What `serializeLayer` writes and `deserializeLayer` reads. */
export interface SerializedLayer {
  /** The registered class name: 'Dense', or a custom layer's. */
  className: string;
  /** What the layer's getConfig returned. */
  config: ConfigDict;
}

const classes = new Map<string, LayerClass>();


/**
 * Makes a layer or model class loadable by name (Keras's `register_keras_serializable`).
 * Returns the class so it can wrap a declaration.
 */
export function registerClass<T extends LayerClass>(cls: T): T {
  const name = classNameOf(cls);
  if (!name) throw new Error('registerClass: the class has no name; give it a static className');
  classes.set(name, cls);
  return cls;
}

/** The class registered under `className`; throws naming it when none is. */
export function getRegisteredClass(className: string): LayerClass {
  const cls = classes.get(className);
  if (!cls) {
    throw new Error(
      `Unknown layer class '${className}': register it with registerClass(${className}) before loading `
      + `(registered: ${[...classes.keys()].sort().join(', ')})`,
    );
  }
  return cls;
}

/** A layer as `{className, config}`, what model files hold and `deserializeLayer` reads. */
export function serializeLayer(layer: Layer): SerializedLayer {
  return { className: classNameOf(layer.constructor as LayerClass), config: layer.getConfig() };
}

/** A new layer from `{className, config}`, its class found in the registry. */
export function deserializeLayer(serialized: SerializedLayer): Layer {
  if (!serialized || typeof serialized.className !== 'string') {
    throw new Error(`deserializeLayer: expected {className, config}, got ${JSON.stringify(serialized)}`);
  }
  const cls = getRegisteredClass(serialized.className);
  return cls.fromConfig(cls, serialized.config ?? {});
}
