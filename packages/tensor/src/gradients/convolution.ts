// Gradients of ONNX Conv and ConvTranspose, through the ai.efficientdl training ops
// ConvGradInput(dY, W) and ConvGradWeight(X, dY) (explicit pads/strides/dilations/group).
// ConvTranspose is the adjoint of Conv in its input, so dX = Conv(dY, W) and
// dW = ConvGradWeight(dY, X) with the roles of input and output swapped.
import { EFFICIENTDL_DOMAIN } from '@efficientdl/ir';
import { runUnary } from '../engine.js';
import * as F from '../functional.js';
import type { Tensor } from '../tensor.js';
import { type ExplicitWindow, resolveConvTransposeWindow, resolveConvWindow } from './convolution-padding.js';
import type { GradientFunction } from './gradient-types.js';
import { inputAt, outputGradient } from './helpers.js';

const training = { domain: EFFICIENTDL_DOMAIN };

function windowAttrs(window: ExplicitWindow, group: number) {
  return { pads: window.pads, strides: window.strides, dilations: window.dilations, group };
}

/** Bias gradient: dY summed over N and the spatial axes. dY: (N, M, ...) → (M). */
function biasGradient(gradient: Tensor): Tensor {
  const axes = [0, ...Array.from({ length: gradient.rank - 2 }, (_, index) => index + 2)];
  return F.reduceSum(gradient, { axes, keepDims: false });
}

// x: (N, C, ...spatial), w: (M, C/group, ...kernel), y: (N, M, ...out)
export const convGradient: GradientFunction = (context) => {
  const [x, weight, bias] = [inputAt(context, 0), inputAt(context, 1), context.inputs[2]];
  const group = Number(context.attrs.group ?? 1);
  const window = resolveConvWindow(context.attrs, x.shape.slice(2), weight.shape.slice(2));
  const attrs = windowAttrs(window, group);
  const gradient = outputGradient(context);
  const inputGradient = x.requiresGrad
    ? runUnary('ConvGradInput', [gradient, weight], { ...attrs, input_shape: [...x.shape] }, training)
    : undefined;
  const weightGradient = weight.requiresGrad
    ? runUnary('ConvGradWeight', [x, gradient], { ...attrs, weight_shape: [...weight.shape] }, training)
    : undefined;
  return [inputGradient, weightGradient, bias?.requiresGrad ? biasGradient(gradient) : undefined];
};

// x: (N, C, ...in), w: (C, M/group, ...kernel), y: (N, M, ...out)
export const convTransposeGradient: GradientFunction = (context) => {
  const [x, weight, bias] = [inputAt(context, 0), inputAt(context, 1), context.inputs[2]];
  const output = context.outputs[0] as Tensor;
  const group = Number(context.attrs.group ?? 1);
  const window = resolveConvTransposeWindow(context.attrs, {
    inputSpatial: x.shape.slice(2),
    outputSpatial: output.shape.slice(2),
    kernelSpatial: weight.shape.slice(2),
  });
  const attrs = windowAttrs(window, group);
  const gradient = outputGradient(context);
  // Conv(dY) sees dY as its input (channels M) and w as (C, M/group, ...): its output is x-shaped.
  const inputGradient = x.requiresGrad
    ? runUnary('Conv', [gradient, weight], { ...attrs, kernel_shape: weight.shape.slice(2) })
    : undefined;
  const weightGradient = weight.requiresGrad
    ? runUnary('ConvGradWeight', [gradient, x], { ...attrs, weight_shape: [...weight.shape] }, training)
    : undefined;
  return [inputGradient, weightGradient, bias?.requiresGrad ? biasGradient(gradient) : undefined];
};
