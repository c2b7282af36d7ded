// GlobalAveragePool: mean over all spatial dims of each (n, c) plane; spatial dims become 1.
// reference: https://onnx.ai/onnx/operators/onnx__GlobalAveragePool.html
import type { Attributes, TensorData } from '@efficientdl/ir';
import type { KernelContext } from '../../kernel-registry.js';
import { createFloatTensor, floatData, requireInput, shapeError } from '../linear/kernel-helpers.js';

export function globalAveragePoolKernel(inputs: readonly (TensorData | undefined)[], _attrs: Attributes, context: KernelContext): TensorData[] {
  // x: (N, C, D1, …) → y: (N, C, 1, …)
  const x = requireInput(inputs, 0, context, 'X');
  const source = floatData(x, context, 'X');
  if (x.shape.length < 3) throw shapeError(context, 'X must be (N, C, D1, …)', [x.shape]);
  const planes = (x.shape[0] as number) * (x.shape[1] as number);
  const planeSize = x.shape.slice(2).reduce((product, dim) => product * dim, 1);
  const { tensor, data } = createFloatTensor(x.dtype, [x.shape[0] as number, x.shape[1] as number, ...x.shape.slice(2).map(() => 1)]);
  for (let plane = 0; plane < planes; plane++) {
    let sum = 0;
    for (let index = plane * planeSize; index < (plane + 1) * planeSize; index++) sum += source[index] as number;
    data[plane] = sum / planeSize;
  }
  return [tensor];
}
