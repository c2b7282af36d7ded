// Constant: outputs the tensor given by exactly one of the attributes value (tensor),
// value_float / value_floats (float32), value_int / value_ints (int64).
// reference: https://onnx.ai/onnx/operators/onnx__Constant.html
import { AttributeError, type TensorData, fromNumbers } from '@efficientdl/ir';
import { type Kernel, type KernelDefinition, defineKernel } from '../../kernel-registry.js';

const VALUE_ATTRIBUTES = ['value', 'value_float', 'value_floats', 'value_int', 'value_ints'] as const;

const constantKernel: Kernel = (_inputs, attrs, context) => {
  const present = VALUE_ATTRIBUTES.filter((name) => attrs[name] !== undefined);
  if (present.length !== 1) {
    throw new AttributeError(
      `Constant (node '${context.node}'): exactly one of ${VALUE_ATTRIBUTES.join(', ')} must be set, got [${present.join(', ')}]`,
      { op: 'Constant', node: context.node },
    );
  }
  const name = present[0] as (typeof VALUE_ATTRIBUTES)[number];
  const value = attrs[name];
  switch (name) {
    case 'value': {
      const tensor = value as TensorData;
      return [{ dtype: tensor.dtype, shape: [...tensor.shape], data: tensor.data.slice() }];
    }
    case 'value_float':
      return [fromNumbers('float32', [], [value as number])];
    case 'value_floats':
      return [fromNumbers('float32', [(value as number[]).length], value as number[])];
    case 'value_int':
      return [fromNumbers('int64', [], [value as number])];
    case 'value_ints':
      return [fromNumbers('int64', [(value as number[]).length], value as number[])];
  }
};

export const CONSTANT_KERNELS: readonly KernelDefinition[] = [defineKernel({ op: 'Constant', kernel: constantKernel })];
