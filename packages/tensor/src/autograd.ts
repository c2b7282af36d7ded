// Reverse-mode autograd: topological sort of the tape reachable from the root, then a reverse
// walk calling one gradient function per primitive op (the gradient table in gradients/).
// Gradients are computed under noGrad (first-order only).
import { DTypeError, ShapeError, UnsupportedOpError, formatShape, shapesEqual } from '@efficientdl/ir';
import { type GradNode, noGrad } from './grad-mode.js';
import { GRADIENTS } from './gradients/index.js';
import type { Tensor } from './tensor.js';
import * as F from './functional.js';

function collectNodes(root: Tensor): GradNode[] {
  const order: GradNode[] = [];
  const visited = new Set<GradNode>();
  const stack: [GradNode, boolean][] = root.gradNode ? [[root.gradNode, false]] : [];
  while (stack.length > 0) {
    const [node, expanded] = stack.pop() as [GradNode, boolean];
    if (expanded) {
      order.push(node);
      continue;
    }
    if (visited.has(node)) continue;
    visited.add(node);
    stack.push([node, true]);
    for (const input of node.inputs) {
      if (input?.gradNode && !visited.has(input.gradNode)) stack.push([input.gradNode, false]);
    }
  }
  return order.reverse();
}

function accumulate(table: Map<Tensor, Tensor>, tensor: Tensor, gradient: Tensor, source: { op: string; input: number }): void {
  if (!shapesEqual(tensor.shape, gradient.shape) || tensor.dtype !== gradient.dtype) {
    const ErrorType = tensor.dtype === gradient.dtype ? ShapeError : DTypeError;
    throw new ErrorType(
      `autograd: the gradient rule of '${source.op}' returned ${gradient.dtype}${formatShape(gradient.shape)} for input ${source.input} of ${tensor.dtype}${formatShape(tensor.shape)}`,
      { op: source.op, input: source.input },
    );
  }
  const existing = table.get(tensor);
  table.set(tensor, existing ? F.add(existing, gradient) : gradient);
}

/** Computes d(root)/d(leaf) for every leaf with requiresGrad and accumulates into `.grad`. */
export function backward(root: Tensor, gradient?: Tensor): void {
  noGrad(() => {
    const seed = gradient ?? F.full([...root.shape], 1, root.dtype);
    if (!gradient && root.size !== 1) {
      throw new UnsupportedOpError(`backward(): root has shape ${formatShape(root.shape)}; pass a gradient for non-scalar roots`);
    }
    if (gradient && !shapesEqual(gradient.shape, root.shape)) {
      throw new ShapeError(`backward(): gradient of shape ${formatShape(gradient.shape)} for a root of shape ${formatShape(root.shape)}`);
    }
    const table = new Map<Tensor, Tensor>([[root, seed]]);
    for (const node of collectNodes(root)) {
      const outputGrads = node.outputs.map((output) => table.get(output));
      if (outputGrads.every((grad) => grad === undefined)) continue;
      const rule = GRADIENTS[node.domain ? `${node.domain}::${node.op}` : node.op];
      if (!rule) {
        throw new UnsupportedOpError(`autograd: no gradient registered for op '${node.op}'`, { op: node.op });
      }
      const inputGrads = rule({ inputs: node.inputs, outputs: node.outputs, attrs: node.attrs, outputGrads });
      node.inputs.forEach((input, index) => {
        const inputGrad = inputGrads[index];
        if (input?.requiresGrad && inputGrad) accumulate(table, input, inputGrad, { op: node.op, input: index });
      });
      for (const output of node.outputs) if (output !== root) table.delete(output);
    }
    for (const [tensor, grad] of table) {
      if (tensor.isLeaf && tensor.requiresGrad) tensor.grad = tensor.grad ? F.add(tensor.grad, grad) : grad;
    }
  });
}
