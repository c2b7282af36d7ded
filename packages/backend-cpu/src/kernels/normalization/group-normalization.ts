// GroupNormalization (opset 21): channels split into num_groups groups; each (n, group) is
// normalized over its channels and spatial dims, then scaled and shifted PER CHANNEL (scale, bias: (C)).
// reference: https://onnx.ai/onnx/operators/onnx__GroupNormalization.html
import type { Attributes, TensorData } from '@efficientdl/ir';
import type { KernelContext } from '../../kernel-registry.js';
import { createFloatTensor, floatAttribute, floatData, intAttribute, requireInput, shapeError } from '../linear/kernel-helpers.js';
import { contiguousMoments } from './moments.js';

export function groupNormalizationKernel(inputs: readonly (TensorData | undefined)[], attrs: Attributes, context: KernelContext): TensorData[] {
  // x: (N, C, D1, …); scale, bias: (C)
  const x = requireInput(inputs, 0, context, 'X');
  const xData = floatData(x, context, 'X');
  const scale = floatData(requireInput(inputs, 1, context, 'scale'), context, 'scale');
  const bias = floatData(requireInput(inputs, 2, context, 'bias'), context, 'bias');
  const groups = intAttribute(attrs, 'num_groups', 1);
  if (x.shape.length < 2) throw shapeError(context, 'X must be (N, C, …)', [x.shape]);
  const [batch, channels] = x.shape as [number, number];
  if (groups < 1 || channels % groups !== 0 || scale.length !== channels || bias.length !== channels) {
    throw shapeError(context, `C=${channels} must be divisible by num_groups=${groups} and scale/bias must be (C)`, [x.shape]);
  }
  const spatial = x.shape.slice(2).reduce((product, dim) => product * dim, 1);
  const groupSize = (channels / groups) * spatial;
  const epsilon = floatAttribute(attrs, 'epsilon', 1e-5);
  const { tensor, data: y } = createFloatTensor(x.dtype, x.shape);
  for (let segment = 0; segment < batch * groups; segment++) {
    const start = segment * groupSize;
    const { mean, variance } = contiguousMoments(xData, start, groupSize);
    const inverse = 1 / Math.sqrt(variance + epsilon);
    for (let offset = 0; offset < groupSize; offset++) {
      const channel = (segment % groups) * (channels / groups) + Math.floor(offset / spatial);
      y[start + offset] = ((xData[start + offset] as number) - mean) * inverse * (scale[channel] as number) + (bias[channel] as number);
    }
  }
  return [tensor];
}
