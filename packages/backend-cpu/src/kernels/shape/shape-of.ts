// Shape(data, start?, end?): the dims of `data` as a 1-D int64 tensor, sliced by start/end
// (negative values count from the end, both clamped to [0, rank]).
// reference: https://onnx.ai/onnx/operators/onnx__Shape.html
import { fromNumbers } from '@efficientdl/ir';
import { type Kernel, type KernelDefinition, defineKernel } from '../../kernel-registry.js';
import { requireInput } from '../elementwise/kernel-support.js';

function clampBound(value: number, rank: number): number {
  const resolved = value < 0 ? value + rank : value;
  return Math.min(Math.max(resolved, 0), rank);
}

const shapeKernel: Kernel = (inputs, attrs, context) => {
  const data = requireInput(inputs, 0, context);
  const rank = data.shape.length;
  const start = clampBound((attrs.start as number | undefined) ?? 0, rank);
  const end = attrs.end === undefined ? rank : clampBound(attrs.end as number, rank);
  const dims = data.shape.slice(start, Math.max(start, end));
  return [fromNumbers('int64', [dims.length], dims)];
};

export const SHAPE_OF_KERNELS: readonly KernelDefinition[] = [defineKernel({ op: 'Shape', kernel: shapeKernel })];
