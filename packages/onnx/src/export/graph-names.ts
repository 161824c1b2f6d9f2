import { Model, type Layer } from '@perceptron/core';
import { DEFAULT_INPUT_NAME, DEFAULT_OUTPUT_NAME } from '../names.js';

/** exportOnnx's options naming the graph's inputs and outputs. */
export interface NameOptions {
  /** The graph input's name, for a model of one input; default 'input'. */
  inputName?: string;
  /** The graph inputs' names, one per input; default: the model's `inputNames` (a functional model's Input layers), else input_1, input_2, ... */
  inputNames?: readonly string[];
  /** The graph output's name, for a model of one output; default 'output'. */
  outputName?: string;
  /** The graph outputs' names, one per output; default: the model's `outputNames`, else output_1, output_2, ... */
  outputNames?: readonly string[];
}

export interface GraphNames {
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
}

/**
 * The graph's input and output names. One input or output is 'input' / 'output' unless
 * `inputName` / `outputName` says otherwise; several are named by `inputNames` / `outputNames`,
 * else by the model's own `inputNames` / `outputNames` (a functional model's, an imported
 * graph's), else input_1, input_2, ... All must be different and non-empty.
 */
export function graphNames(model: Layer, inputCount: number, outputCount: number, options: NameOptions): GraphNames {
  const own = model instanceof Model ? model : null;
  const inputs = namesOf(model, 'input', inputCount, options.inputName, options.inputNames, own?.inputNames ?? null);
  const outputs = namesOf(model, 'output', outputCount, options.outputName, options.outputNames, own?.outputNames ?? null);
  const all = [...inputs, ...outputs];
  if (all.some((name, i) => typeof name !== 'string' || name === '' || all.indexOf(name) !== i)) {
    throw new Error(`exportOnnx: expected different, non-empty input and output names, got inputs ${list(inputs)} and outputs ${list(outputs)}; options.inputNames and options.outputNames choose them`);
  }
  return { inputs, outputs };
}

function namesOf(model: Layer, role: 'input' | 'output', count: number, single: string | undefined, several: readonly string[] | undefined, own: readonly string[] | null): string[] {
  const plural = `${role}s`;
  const option = `${role}Names`;
  if (single !== undefined && several !== undefined) {
    throw new Error(`exportOnnx: expected ${role}Name or ${option}, not both, got '${single}' and ${list(several)}`);
  }
  if (single !== undefined) {
    if (count !== 1) throw new Error(`exportOnnx: ${role}Name names the only ${role} of a model, but model '${model.name}' has ${count} ${plural}; pass ${option} (${count} names)`);
    return [single];
  }
  if (several !== undefined) {
    if (!Array.isArray(several) || several.length !== count) {
      throw new Error(`exportOnnx: expected ${option} to give ${count} name${count === 1 ? '' : 's'}, one per ${role} of model '${model.name}', got ${Array.isArray(several) ? `${several.length}: ${list(several)}` : JSON.stringify(several)}`);
    }
    return [...several];
  }
  if (count === 1) return [role === 'input' ? DEFAULT_INPUT_NAME : DEFAULT_OUTPUT_NAME];
  return own?.length === count ? [...own] : Array.from({ length: count }, (_, i) => `${role}_${i + 1}`);
}

/** ['a', 'b'] */
function list(names: readonly unknown[]): string {
  return `[${names.map((n) => `'${String(n)}'`).join(', ')}]`;
}
