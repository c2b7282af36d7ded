// ConstantOfShape(shape int64) → a tensor of that shape filled with `value`'s single element
// (default float32 0).
// reference: https://onnx.ai/onnx/operators/onnx__ConstantOfShape.html
import { type Attributes, type TensorData, fromNumbers, shapeSize, tensorData } from '@efficientdl/ir';
import type { KernelContext, KernelDefinition } from '../../kernel-registry.js';
import { allocateElements, elementStorage, fromElements, readIntegerInput, requireInput, shapeError } from '../elementwise/kernel-support.js';

function constantOfShapeKernel(inputs: readonly (TensorData | undefined)[], attrs: Attributes, context: KernelContext): TensorData[] {
  const shape = readIntegerInput(requireInput(inputs, 0, context), context, 'input') ?? [];
  if (shape.some((dim) => dim < 0)) throw shapeError(context, `shape [${shape.join(', ')}] has a negative dim`);
  const value = (attrs.value as TensorData | undefined) ?? fromNumbers('float32', [1], [0]);
  const fill = elementStorage(value);
  if (fill.length < 1) throw shapeError(context, 'value must hold one element');
  const out = allocateElements(value.dtype, shapeSize(shape));
  out.fill(fill[0] as never);
  return [value.dtype === 'int4' || value.dtype === 'uint4' ? fromElements(value.dtype, shape, out) : tensorData(value.dtype, shape, out)];
}

export const CONSTANT_OF_SHAPE_KERNELS: readonly KernelDefinition[] = [{ op: 'ConstantOfShape', kernel: constantOfShapeKernel }];
