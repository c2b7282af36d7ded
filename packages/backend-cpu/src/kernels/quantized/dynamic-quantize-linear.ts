// DynamicQuantizeLinear(x) → (y uint8, y_scale, y_zero_point): the range [min(x, 0), max(x, 0)]
// maps onto [0, 255]; y_scale = (max − min) / 255, y_zero_point = saturate(round_half_even(−min /
// y_scale)), y = saturate(round_half_even(x / y_scale) + y_zero_point). All-zero x gives scale 0
// and y = zero point (0).
// reference: https://onnx.ai/onnx/operators/onnx__DynamicQuantizeLinear.html
import { type Attributes, type TensorData, fromNumbers, toNumberArray } from '@efficientdl/ir';
import type { KernelContext, KernelDefinition } from '../../kernel-registry.js';
import { checkDType, requireInput } from '../elementwise/kernel-support.js';
import { requantize } from './integer-parameters.js';

function dynamicQuantizeLinearKernel(inputs: readonly (TensorData | undefined)[], _attrs: Attributes, context: KernelContext): TensorData[] {
  const x = requireInput(inputs, 0, context);
  checkDType(x, ['float32'], context, 'x');
  const values = toNumberArray(x);
  let low = 0;
  let high = 0;
  for (const value of values) {
    low = Math.min(low, value);
    high = Math.max(high, value);
  }
  // float32 arithmetic, as the op is defined on float32 tensors
  const scale = Math.fround(Math.fround(high - low) / 255);
  const zeroPoint = scale === 0 ? 0 : requantize(Math.fround(-low / scale), 0, 'uint8');
  const y = values.map((value) => (scale === 0 ? zeroPoint : requantize(Math.fround(value / scale), zeroPoint, 'uint8')));
  const outputs = [fromNumbers('uint8', x.shape, y), fromNumbers('float32', [], [scale]), fromNumbers('uint8', [], [zeroPoint])];
  return outputs.slice(0, Math.max(1, context.outputCount));
}

export const DYNAMIC_QUANTIZE_KERNELS: readonly KernelDefinition[] = [
  { op: 'DynamicQuantizeLinear', dtypes: ['float32'], kernel: dynamicQuantizeLinearKernel },
];
