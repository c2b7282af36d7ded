// Multiply-accumulate counts per node, from inferred input/output shapes (DESIGN §2 cost model).
// Conv: outputs x (C/group) x kernel; ConvTranspose: inputs x (M/group) x kernel;
// MatMul/Gemm: outputs x K. Everything else counts 0.
import type { Node } from '../graph.js';
import type { ValueInfo } from '../op-schema.js';
import type { Shape } from '../shape.js';

export interface MacContext {
  node: Node;
  /** Inferred info per input position (undefined for omitted inputs). */
  inputs: readonly (ValueInfo | undefined)[];
  outputs: readonly (ValueInfo | undefined)[];
  /** Element count with symbolic dims already bound. */
  count: (shape: Shape) => number;
}

function weightFanIn(context: MacContext): number {
  // W: (M, C/group, k...) for Conv; (C, M/group, k...) for ConvTranspose
  const weight = context.inputs[1];
  return weight ? context.count(weight.shape.slice(1)) : 0;
}

/** MACs of one node; 0 for ops without multiply-accumulate work. */
export function nodeMacs(context: MacContext): number {
  if (context.node.domain !== '') return 0;
  const output = context.outputs[0];
  const x = context.inputs[0];
  if (!output || !x) return 0;
  switch (context.node.op) {
    case 'Conv':
      return context.count(output.shape) * weightFanIn(context);
    case 'ConvTranspose':
      return context.count(x.shape) * weightFanIn(context);
    case 'MatMul': {
      // A: (..., M, K) or (K)
      const k = context.count(x.shape.slice(-1));
      return context.count(output.shape) * k;
    }
    case 'Gemm': {
      const transA = context.node.attrs.transA === 1;
      const k = context.count([x.shape[transA ? 0 : 1] ?? 1]);
      return context.count(output.shape) * k;
    }
    default:
      return 0;
  }
}
