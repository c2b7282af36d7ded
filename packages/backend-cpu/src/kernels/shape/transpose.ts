// Transpose(data, perm): out.shape[i] = data.shape[perm[i]]; perm defaults to reversed axes.
// reference: https://onnx.ai/onnx/operators/onnx__Transpose.html
import { type TensorData, stridesOf } from '@efficientdl/ir';
import { type Kernel, type KernelContext, type KernelDefinition, defineKernel } from '../../kernel-registry.js';
import { allocateElements, elementStorage, fromElements, requireInput, shapeError } from '../elementwise/kernel-support.js';
import { copyStrided } from './strided-copy.js';

/** Permutes the axes of `input` (exported for reductions and tests). */
export function transposeTensor(input: TensorData, perm: readonly number[], context: KernelContext): TensorData {
  const rank = input.shape.length;
  const valid = perm.length === rank && [...perm].sort((a, b) => a - b).every((axis, index) => axis === index);
  if (!valid) throw shapeError(context, `perm [${perm.join(', ')}] is not a permutation of rank ${rank}`, { shape: [...input.shape] });
  const inputStrides = stridesOf(input.shape);
  const shape = perm.map((axis) => input.shape[axis] as number);
  const source = elementStorage(input);
  const target = allocateElements(input.dtype, source.length);
  copyStrided({ source, offset: 0, strides: perm.map((axis) => inputStrides[axis] as number), shape, target });
  return fromElements(input.dtype, shape, target);
}

const transposeKernel: Kernel = (inputs, attrs, context) => {
  const data = requireInput(inputs, 0, context);
  const rank = data.shape.length;
  const perm = (attrs.perm as readonly number[] | undefined) ?? Array.from({ length: rank }, (_, axis) => rank - 1 - axis);
  return [transposeTensor(data, perm, context)];
};

export const TRANSPOSE_KERNELS: readonly KernelDefinition[] = [defineKernel({ op: 'Transpose', kernel: transposeKernel })];
