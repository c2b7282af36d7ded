// Gradients of ONNX BatchNormalization (inference and training_mode), LayerNormalization,
// GroupNormalization (opset 21 per-channel scale; per-group scale of opset 18 also accepted) and
// InstanceNormalization. Statistics are recomputed with tensor ops; every op is "normalize over
// some axes of a view, then scale and shift", whose input gradient is
// dx = rstd · (dx̂ − mean(dx̂) − x̂ · mean(dx̂ · x̂)), with dx̂ = dy · scale.
import type { StaticShape } from '@efficientdl/ir';
import * as F from '../functional.js';
import type { Tensor } from '../tensor.js';
import type { GradientFunction } from './gradient-types.js';
import { inputAt, outputGradient, positiveAxis, product, scalar, unbroadcast } from './helpers.js';

interface Normalized {
  xHat: Tensor;
  rstd: Tensor;
  inputGradient: Tensor;
}

/** Backward of y = x̂ · scale + bias where x̂ normalizes `x` over `axes` (all views are rank-aligned). */
function normalizeBackward(options: { x: Tensor; gradient: Tensor; scale?: Tensor; axes: number[]; epsilon: number }): Normalized {
  const { x, gradient, scale, axes, epsilon } = options;
  const mean = F.reduceMean(x, { axes, keepDims: true });
  const centered = F.sub(x, mean);
  const variance = F.reduceMean(F.mul(centered, centered), { axes, keepDims: true });
  const rstd = F.reciprocal(F.sqrt(F.add(variance, scalar(epsilon, variance))));
  const xHat = F.mul(centered, rstd);
  const gradientXHat = scale ? F.mul(gradient, scale) : gradient;
  const meanGradient = F.reduceMean(gradientXHat, { axes, keepDims: true });
  const meanProjection = F.reduceMean(F.mul(gradientXHat, xHat), { axes, keepDims: true });
  const inputGradient = F.mul(rstd, F.sub(F.sub(gradientXHat, meanGradient), F.mul(xHat, meanProjection)));
  return { xHat, rstd, inputGradient };
}

/** (1, C, 1, ..., 1) for a rank-`rank` tensor with channels on axis 1. */
function channelShape(channels: number, rank: number): number[] {
  return [1, channels, ...new Array(Math.max(rank - 2, 0)).fill(1)];
}

/** Scale and bias gradients in their own shapes, given their shapes inside the view. */
function affineGradients(options: { gradient: Tensor; xHat: Tensor; scale?: Tensor; bias?: Tensor; viewShape: StaticShape }) {
  const { gradient, xHat, scale, bias, viewShape } = options;
  return [
    scale?.requiresGrad ? F.reshape(unbroadcast(F.mul(gradient, xHat), viewShape), scale.shape) : undefined,
    bias?.requiresGrad ? F.reshape(unbroadcast(gradient, viewShape), bias.shape) : undefined,
  ];
}

// x: (N, C, ...), scale/bias/mean/var: (C)
export const batchNormalizationGradient: GradientFunction = (context) => {
  const [x, scale, bias, mean, variance] = [0, 1, 2, 3, 4].map((index) => inputAt(context, index)) as [Tensor, Tensor, Tensor, Tensor, Tensor];
  const epsilon = Number(context.attrs.epsilon ?? 1e-5);
  const gradient = outputGradient(context);
  const view = channelShape(x.shape[1] as number, x.rank);
  const scaleView = F.reshape(scale, view);
  if (Number(context.attrs.training_mode ?? 0) !== 0) {
    const axes = [0, ...Array.from({ length: x.rank - 2 }, (_, index) => index + 2)];
    const normalized = normalizeBackward({ x, gradient, scale: scaleView, axes, epsilon });
    const affine = affineGradients({ gradient, xHat: normalized.xHat, scale, bias, viewShape: view });
    return [normalized.inputGradient, ...affine, undefined, undefined];
  }
  return batchNormalizationInferenceGradient({ x, scale, bias, mean, variance, gradient, epsilon });
};

// Inference: y = (x − mean) · rstd · scale + bias with rstd = (var + ε)^(−1/2) from the inputs.
function batchNormalizationInferenceGradient(options: {
  x: Tensor;
  scale: Tensor;
  bias: Tensor;
  mean: Tensor;
  variance: Tensor;
  gradient: Tensor;
  epsilon: number;
}): (Tensor | undefined)[] {
  const { x, scale, bias, mean, variance, gradient, epsilon } = options;
  const view = channelShape(x.shape[1] as number, x.rank);
  const rstd = F.reciprocal(F.sqrt(F.add(F.reshape(variance, view), scalar(epsilon, variance))));
  const centered = F.sub(x, F.reshape(mean, view));
  const xHat = F.mul(centered, rstd);
  const gain = F.mul(F.reshape(scale, view), rstd); // (1, C, 1...)
  const affine = affineGradients({ gradient, xHat, scale, bias, viewShape: view });
  const meanGradient = mean.requiresGrad ? F.reshape(unbroadcast(F.neg(F.mul(gradient, gain)), view), mean.shape) : undefined;
  let varianceGradient: Tensor | undefined;
  if (variance.requiresGrad) {
    // d/dvar of (x − mean) · scale · (var + ε)^(−1/2) = −½ (x − mean) · scale · rstd³
    const factor = F.mul(F.mul(gain, F.mul(rstd, rstd)), scalar(-0.5, rstd));
    varianceGradient = F.reshape(unbroadcast(F.mul(F.mul(gradient, centered), factor), view), variance.shape);
  }
  return [x.requiresGrad ? F.mul(gradient, gain) : undefined, ...affine, meanGradient, varianceGradient];
}

// x: (..., normalized dims from axis on), scale/bias: broadcastable to x.shape[axis:]
export const layerNormalizationGradient: GradientFunction = (context) => {
  const [x, scale, bias] = [inputAt(context, 0), inputAt(context, 1), context.inputs[2]];
  const axis = positiveAxis(Number(context.attrs.axis ?? -1), x.rank);
  const axes = Array.from({ length: x.rank - axis }, (_, index) => axis + index);
  const epsilon = Number(context.attrs.epsilon ?? 1e-5);
  const gradient = outputGradient(context);
  const normalized = normalizeBackward({ x, gradient, scale, axes, epsilon });
  let inputGradient = normalized.inputGradient;
  // Optional outputs Mean and InvStdDev (keepdims shapes).
  const count = product(x.shape, axis);
  // Mean / InvStdDev are in stash_type precision (float32): bring their gradients to x's dtype.
  const asInputType = (tensor: Tensor | undefined) => (tensor && tensor.dtype !== x.dtype ? F.cast(tensor, x.dtype) : tensor);
  const meanOutputGradient = asInputType(context.outputGrads[1]);
  if (meanOutputGradient) inputGradient = F.add(inputGradient, F.div(F.expand(meanOutputGradient, x.shape), scalar(count, x)));
  const rstdOutputGradient = asInputType(context.outputGrads[2]);
  if (rstdOutputGradient) {
    // d rstd / dx = −rstd² · x̂ / n
    const factor = F.div(F.mul(F.mul(normalized.rstd, normalized.rstd), normalized.xHat), scalar(-count, x));
    inputGradient = F.add(inputGradient, F.mul(rstdOutputGradient, factor));
  }
  const [scaleGradient] = affineGradients({ gradient, xHat: normalized.xHat, scale, viewShape: scale.shape });
  return [inputGradient, scaleGradient, bias?.requiresGrad ? unbroadcast(gradient, bias.shape) : undefined];
};

// x: (N, C, ...spatial) viewed as (N, G, C/G, S); scale/bias: (C) or (G)
export const groupNormalizationGradient: GradientFunction = (context) => {
  const [x, scale, bias] = [inputAt(context, 0), inputAt(context, 1), inputAt(context, 2)];
  const groups = Number(context.attrs.num_groups);
  const epsilon = Number(context.attrs.epsilon ?? 1e-5);
  const [batch, channels] = [x.shape[0] as number, x.shape[1] as number];
  const grouped = [batch, groups, channels / groups, product(x.shape, 2)];
  const affineView = scale.size === channels ? [1, groups, channels / groups, 1] : [1, groups, 1, 1];
  const gradient = F.reshape(outputGradient(context), grouped);
  const normalized = normalizeBackward({ x: F.reshape(x, grouped), gradient, scale: F.reshape(scale, affineView), axes: [2, 3], epsilon });
  const affine = affineGradients({ gradient, xHat: normalized.xHat, scale, bias, viewShape: affineView });
  return [F.reshape(normalized.inputGradient, x.shape), ...affine];
};

// x: (N, C, ...spatial) viewed as (N, C, S); scale/bias: (C)
export const instanceNormalizationGradient: GradientFunction = (context) => {
  const [x, scale, bias] = [inputAt(context, 0), inputAt(context, 1), inputAt(context, 2)];
  const epsilon = Number(context.attrs.epsilon ?? 1e-5);
  const channels = x.shape[1] as number;
  const viewShape = [x.shape[0] as number, channels, product(x.shape, 2)];
  const affineView = [1, channels, 1];
  const gradient = F.reshape(outputGradient(context), viewShape);
  const normalized = normalizeBackward({ x: F.reshape(x, viewShape), gradient, scale: F.reshape(scale, affineView), axes: [2], epsilon });
  const affine = affineGradients({ gradient, xHat: normalized.xHat, scale, bias, viewShape: affineView });
  return [F.reshape(normalized.inputGradient, x.shape), ...affine];
};
