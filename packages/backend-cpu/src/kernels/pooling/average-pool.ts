// AveragePool: mean over each (dilated, strided, padded) window; count_include_pad decides
// whether explicit pad positions count in the divisor. 1-D to 3-D.
// reference: https://onnx.ai/onnx/operators/onnx__AveragePool.html
import type { Attributes, TensorData } from '@efficientdl/ir';
import type { KernelContext } from '../../kernel-registry.js';
import { createFloatTensor, floatData, intAttribute, requireInput } from '../linear/kernel-helpers.js';
import { averagePoolWalk } from './average-pool-core.js';
import { poolSetup } from './pool-setup.js';

export function averagePoolKernel(inputs: readonly (TensorData | undefined)[], attrs: Attributes, context: KernelContext): TensorData[] {
  // x: (N, C, D1, …) → y: (N, C, O1, …)
  const x = requireInput(inputs, 0, context, 'X');
  const source = floatData(x, context, 'X');
  const setup = poolSetup(x.shape, attrs, context);
  const { tensor, data } = createFloatTensor(x.dtype, setup.outputShape);
  averagePoolWalk({ setup, countIncludePad: intAttribute(attrs, 'count_include_pad', 0) !== 0, direction: 'forward', source, target: data });
  return [tensor];
}
