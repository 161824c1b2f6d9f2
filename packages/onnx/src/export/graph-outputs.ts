import type { NodeProto } from '../proto.js';

/**
 * Gives each traced output its graph name: the node computing it is renamed, unless the value is
 * not computed by a node (a graph input, a weight) or is another output too, which an Identity
 * node then copies.
 */
export function nameOutputs(nodes: NodeProto[], values: readonly string[], names: readonly string[]): void {
  const renamed = new Map<string, string>();
  values.forEach((value, i) => {
    const name = names[i]!;
    const earlier = renamed.get(value);
    if (earlier === undefined && nodes.some((n) => n.output!.includes(value))) {
      renameValue(nodes, value, name);
      renamed.set(value, name);
    } else {
      nodes.push({ name, opType: 'Identity', domain: '', input: [earlier ?? value], output: [name] });
    }
  });
}

function renameValue(nodes: NodeProto[], from: string, to: string): void {
  for (const n of nodes) {
    n.input = n.input!.map((name) => (name === from ? to : name));
    n.output = n.output!.map((name) => (name === from ? to : name));
  }
}

/** The nodes the outputs depend on, in order: ops whose results the model did not use are dropped. */
export function neededNodes(nodes: readonly NodeProto[], outputs: readonly string[]): NodeProto[] {
  const needed = new Set(outputs);
  const kept: NodeProto[] = [];
  for (const n of [...nodes].reverse()) {
    if (!n.output!.some((name) => needed.has(name))) continue;
    kept.push(n);
    for (const name of n.input!) needed.add(name);
  }
  return kept.reverse();
}
