// Dead-code elimination: keeps only the nodes that graph outputs depend on, and drops
// initializers and valueInfo entries nothing reads any more. Graph inputs are kept (interface).
import type { Graph, Node } from '../graph.js';
import { producers } from '../graph.js';

/** Returns a graph without nodes, initializers and valueInfo that no graph output depends on. */
export function eliminateDeadCode(graph: Graph): Graph {
  const producedBy = producers(graph);
  const needed = new Set<string>();
  const live = new Set<Node>();
  const pending = graph.outputs.map((value) => value.name);
  while (pending.length > 0) {
    const name = pending.pop() as string;
    if (needed.has(name)) continue;
    needed.add(name);
    const node = producedBy.get(name);
    if (!node || live.has(node)) continue;
    live.add(node);
    for (const input of node.inputs) if (input !== '') pending.push(input);
  }
  const nodes = graph.nodes.filter((node) => live.has(node));
  const initializers = new Map([...graph.initializers].filter(([name]) => needed.has(name)));
  const produced = new Set(nodes.flatMap((node) => node.outputs));
  const valueInfo = new Map([...graph.valueInfo].filter(([name]) => produced.has(name)));
  return { ...graph, nodes, initializers, valueInfo };
}
