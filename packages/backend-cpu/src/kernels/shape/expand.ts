// Expand(input, shape): broadcasts input and `shape` bidirectionally (numpy rules; the output
// may be larger than `shape` when the input has more or larger dims).
// reference: https://onnx.ai/onnx/operators/onnx__Expand.html
import { shapeSize, stridesOf } from '@efficientdl/ir';
import { type Kernel, type KernelDefinition, defineKernel } from '../../kernel-registry.js';
import { broadcastOutputShape } from '../elementwise/broadcast.js';
import { allocateElements, elementStorage, fromElements, readIntegerInput, requireInput } from '../elementwise/kernel-support.js';
import { copyStrided } from './strided-copy.js';

const expandKernel: Kernel = (inputs, _attrs, context) => {
  const input = requireInput(inputs, 0, context);
  const requested = readIntegerInput(requireInput(inputs, 1, context), context, 'shape') ?? [];
  const shape = broadcastOutputShape([input.shape, requested], context);
  // Input strides aligned to the output rank, 0 where the input dim is 1 (broadcast).
  const inputStrides = stridesOf(input.shape);
  const offset = shape.length - input.shape.length;
  const strides = shape.map((_, axis) => {
    const inputAxis = axis - offset;
    return inputAxis < 0 || input.shape[inputAxis] === 1 ? 0 : (inputStrides[inputAxis] as number);
  });
  const target = allocateElements(input.dtype, shapeSize(shape));
  copyStrided({ source: elementStorage(input), offset: 0, strides, shape, target });
  return [fromElements(input.dtype, shape, target)];
};

export const EXPAND_KERNELS: readonly KernelDefinition[] = [defineKernel({ op: 'Expand', kernel: expandKernel })];
