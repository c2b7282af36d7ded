// ConvGradWeight (ai.efficientdl): dW = ∂(Σ dY · Conv(X, W)) / ∂W for 1-D/2-D float32 convolutions
// with explicit pads/strides/dilations/group — Σ over images of dY · im2col(X)ᵀ per group.
// reference: https://onnx.ai/onnx/operators/onnx__Conv.html (the forward op)
import type { Attributes, TensorData } from '@efficientdl/ir';
import { conv2dGradWeight } from '../../fast/conv2d.js';
import type { KernelContext } from '../../kernel-registry.js';
import { convSetup, toConv2dShape } from '../convolution/conv-setup.js';
import { createFloatTensor, requireInput } from '../linear/kernel-helpers.js';
import { float32Data, requireConvRank, requireGradientShape, shapeAttribute } from './training-helpers.js';

export function convGradWeightKernel(inputs: readonly (TensorData | undefined)[], attrs: Attributes, context: KernelContext): TensorData[] {
  // x: (N, C, D1, …), dy: (N, M, O1, …) → dw: weight_shape = (M, C/group, k1, …)
  const x = requireInput(inputs, 0, context, 'X');
  const dy = requireInput(inputs, 1, context, 'dY');
  const xData = float32Data(x, context, 'X');
  const dyData = float32Data(dy, context, 'dY');
  const weightShape = shapeAttribute(attrs, 'weight_shape', context);
  requireConvRank(x.shape, context);
  const setup = convSetup(x.shape, weightShape, attrs, context);
  requireGradientShape(dy, setup.outputShape, context);
  const { tensor, data } = createFloatTensor('float32', weightShape);
  conv2dGradWeight(toConv2dShape(setup), xData, dyData, data as Float32Array);
  return [tensor];
}
