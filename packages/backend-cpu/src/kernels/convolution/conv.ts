// Conv: N-d convolution (1-D to 3-D) with group (incl. depthwise), strides, dilations, pads,
// auto_pad and optional bias. float32 1-D/2-D runs on im2col + blocked GEMM (fast/conv2d.ts);
// everything else on the readable reference loops (conv-reference.ts), which are the oracle.
// reference: https://onnx.ai/onnx/operators/onnx__Conv.html
import type { Attributes, TensorData } from '@efficientdl/ir';
import { conv2dForward } from '../../fast/conv2d.js';
import type { KernelContext } from '../../kernel-registry.js';
import { createFloatTensor, floatData, requireInput, requireSameDType, shapeError } from '../linear/kernel-helpers.js';
import { convReference } from './conv-reference.js';
import { convSetup, toConv2dShape } from './conv-setup.js';

/** Conv(X, W, B?) → Y; `useFast` false forces the reference loops. */
export function conv(inputs: readonly (TensorData | undefined)[], attrs: Attributes, context: KernelContext, useFast = true): TensorData {
  // x: (N, C, D1, …), w: (M, C/group, k1, …), bias: (M)
  const x = requireInput(inputs, 0, context, 'X');
  const w = requireInput(inputs, 1, context, 'W');
  const bias = inputs[2];
  const xData = floatData(x, context, 'X');
  requireSameDType(x, w, context, 'W');
  if (bias) {
    requireSameDType(x, bias, context, 'B');
    if (bias.shape.length !== 1 || bias.shape[0] !== w.shape[0]) throw shapeError(context, 'B must be (M)', [w.shape, bias.shape]);
  }
  const setup = convSetup(x.shape, w.shape, attrs, context);
  const { tensor, data: y } = createFloatTensor(x.dtype, setup.outputShape);
  if (useFast && x.dtype === 'float32' && setup.geometry.inputSize.length <= 2) {
    conv2dForward(toConv2dShape(setup), xData as Float32Array, w.data as Float32Array, bias?.data as Float32Array | undefined, y as Float32Array);
  } else {
    convReference({ ...setup, x: xData, w: w.data as Float64Array, bias: bias?.data as Float64Array | undefined }, y);
  }
  return tensor;
}

export function convKernel(inputs: readonly (TensorData | undefined)[], attrs: Attributes, context: KernelContext): TensorData[] {
  return [conv(inputs, attrs, context)];
}
