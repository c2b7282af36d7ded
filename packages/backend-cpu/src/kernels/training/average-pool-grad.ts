// AveragePoolGrad (ai.efficientdl): spreads each dY element evenly over its window, with the
// forward op's divisor (count_include_pad, ceil_mode, dilations).
// reference: https://onnx.ai/onnx/operators/onnx__AveragePool.html (the forward op)
import type { Attributes, TensorData } from '@efficientdl/ir';
import type { KernelContext } from '../../kernel-registry.js';
import { createFloatTensor, intAttribute, requireInput } from '../linear/kernel-helpers.js';
import { averagePoolWalk } from '../pooling/average-pool-core.js';
import { poolSetup } from '../pooling/pool-setup.js';
import { float32Data, requireGradientShape, shapeAttribute } from './training-helpers.js';

export function averagePoolGradKernel(inputs: readonly (TensorData | undefined)[], attrs: Attributes, context: KernelContext): TensorData[] {
  // dy: (N, C, O1, …) → dx: input_shape = (N, C, D1, …)
  const dy = requireInput(inputs, 0, context, 'dY');
  const dyData = float32Data(dy, context, 'dY');
  const inputShape = shapeAttribute(attrs, 'input_shape', context);
  const setup = poolSetup(inputShape, attrs, context);
  requireGradientShape(dy, setup.outputShape, context);
  const { tensor, data } = createFloatTensor('float32', inputShape);
  averagePoolWalk({ setup, countIncludePad: intAttribute(attrs, 'count_include_pad', 0) !== 0, direction: 'backward', source: dyData, target: data });
  return [tensor];
}
