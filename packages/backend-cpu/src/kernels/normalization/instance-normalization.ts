// InstanceNormalization: each (n, c) plane normalized over its spatial dims, then
// y = normalized · scale[c] + B[c].
// reference: https://onnx.ai/onnx/operators/onnx__InstanceNormalization.html
import type { Attributes, TensorData } from '@efficientdl/ir';
import type { KernelContext } from '../../kernel-registry.js';
import { createFloatTensor, floatAttribute, floatData, requireInput, shapeError } from '../linear/kernel-helpers.js';
import { contiguousMoments } from './moments.js';

export function instanceNormalizationKernel(inputs: readonly (TensorData | undefined)[], attrs: Attributes, context: KernelContext): TensorData[] {
  // x: (N, C, D1, …); scale, B: (C)
  const x = requireInput(inputs, 0, context, 'input');
  const xData = floatData(x, context, 'input');
  const scale = floatData(requireInput(inputs, 1, context, 'scale'), context, 'scale');
  const bias = floatData(requireInput(inputs, 2, context, 'B'), context, 'B');
  if (x.shape.length < 3) throw shapeError(context, 'input must be (N, C, D1, …)', [x.shape]);
  const channels = x.shape[1] as number;
  if (scale.length !== channels || bias.length !== channels) throw shapeError(context, 'scale and B must be (C)', [x.shape]);
  const spatial = x.shape.slice(2).reduce((product, dim) => product * dim, 1);
  const epsilon = floatAttribute(attrs, 'epsilon', 1e-5);
  const { tensor, data: y } = createFloatTensor(x.dtype, x.shape);
  for (let plane = 0; plane < xData.length / Math.max(spatial, 1); plane++) {
    const start = plane * spatial;
    const { mean, variance } = contiguousMoments(xData, start, spatial);
    const factor = (scale[plane % channels] as number) / Math.sqrt(variance + epsilon);
    const shift = (bias[plane % channels] as number) - mean * factor;
    for (let index = start; index < start + spatial; index++) y[index] = (xData[index] as number) * factor + shift;
  }
  return [tensor];
}
