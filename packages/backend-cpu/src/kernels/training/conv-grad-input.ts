// ConvGradInput (ai.efficientdl): dX = ∂(Σ dY · Conv(X, W)) / ∂X for 1-D/2-D float32 convolutions
// with explicit pads/strides/dilations/group — GEMM Wᵀ·dY per (image, group), then col2im.
// reference: https://onnx.ai/onnx/operators/onnx__Conv.html (the forward op)
import type { Attributes, TensorData } from '@efficientdl/ir';
import { conv2dGradInput } from '../../fast/conv2d.js';
import type { KernelContext } from '../../kernel-registry.js';
import { convSetup, toConv2dShape } from '../convolution/conv-setup.js';
import { createFloatTensor, requireInput } from '../linear/kernel-helpers.js';
import { float32Data, requireConvRank, requireGradientShape, shapeAttribute } from './training-helpers.js';

export function convGradInputKernel(inputs: readonly (TensorData | undefined)[], attrs: Attributes, context: KernelContext): TensorData[] {
  // dy: (N, M, O1, …), w: (M, C/group, k1, …) → dx: input_shape = (N, C, D1, …)
  const dy = requireInput(inputs, 0, context, 'dY');
  const w = requireInput(inputs, 1, context, 'W');
  const dyData = float32Data(dy, context, 'dY');
  const wData = float32Data(w, context, 'W');
  const inputShape = shapeAttribute(attrs, 'input_shape', context);
  requireConvRank(inputShape, context);
  const setup = convSetup(inputShape, w.shape, attrs, context);
  requireGradientShape(dy, setup.outputShape, context);
  const { tensor, data } = createFloatTensor('float32', inputShape);
  conv2dGradInput(toConv2dShape(setup), dyData, wData, data as Float32Array);
  return [tensor];
}
