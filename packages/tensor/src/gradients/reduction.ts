// Gradients of ONNX reductions (ReduceSum, ReduceMean, ReduceMax, ReduceMin with the opset-18
// axes input, keepdims and noop_with_empty_axes), Softmax, LogSoftmax (single axis, opset 13+)
// and CumSum (reverse cumulative sum of the gradient).
import * as F from '../functional.js';
import { runUnary } from '../engine.js';
import type { Tensor } from '../tensor.js';
import type { GradientContext, GradientFunction } from './gradient-types.js';
import { inputAt, maskOf, outputGradient, positiveAxis, readInts } from './helpers.js';

/** The reduced axes (all axes when none are given), or undefined for a no-op reduction. */
function reducedAxes(context: GradientContext): number[] | undefined {
  const x = inputAt(context, 0);
  const axes = readInts(context.inputs[1]) ?? [];
  if (axes.length === 0) {
    if (Number(context.attrs.noop_with_empty_axes ?? 0) !== 0) return undefined;
    return Array.from({ length: x.rank }, (_, axis) => axis);
  }
  return [...new Set(axes.map((axis) => positiveAxis(axis, x.rank)))].sort((left, right) => left - right);
}

/** Reshapes a reduced tensor to the keepdims shape so it broadcasts against the input. */
function withKeptDims(reduced: Tensor, context: GradientContext, axes: readonly number[]): Tensor {
  const x = inputAt(context, 0);
  const kept = x.shape.map((dim, axis) => (axes.includes(axis) ? 1 : dim));
  return F.reshape(reduced, kept);
}

export const reduceSumGradient: GradientFunction = (context) => {
  const x = inputAt(context, 0);
  const axes = reducedAxes(context);
  const gradient = outputGradient(context);
  if (!axes) return [gradient, undefined];
  return [F.expand(withKeptDims(gradient, context, axes), x.shape), undefined];
};

export const reduceMeanGradient: GradientFunction = (context) => {
  const x = inputAt(context, 0);
  const axes = reducedAxes(context);
  const gradient = outputGradient(context);
  if (!axes) return [gradient, undefined];
  const count = axes.reduce((total, axis) => total * (x.shape[axis] as number), 1);
  const expanded = F.expand(withKeptDims(gradient, context, axes), x.shape);
  return [F.div(expanded, F.scalarLike(count, expanded)), undefined];
};

/** ReduceMax/ReduceMin: the gradient is shared equally among the elements equal to the extremum. */
export const reduceExtremumGradient: GradientFunction = (context) => {
  const x = inputAt(context, 0);
  const axes = reducedAxes(context);
  const gradient = outputGradient(context);
  if (!axes) return [gradient, undefined];
  const extremum = withKeptDims(context.outputs[0] as Tensor, context, axes);
  const mask = maskOf(F.equal(x, extremum), x);
  const ties = F.reduceSum(mask, { axes, keepDims: true });
  const share = F.div(withKeptDims(gradient, context, axes), ties);
  return [F.mul(mask, share), undefined];
};

// y = softmax(x) along axis: dx = y (dy - Σ dy·y)
export const softmaxGradient: GradientFunction = (context) => {
  const y = context.outputs[0] as Tensor;
  const axis = positiveAxis(Number(context.attrs.axis ?? -1), y.rank);
  const gradient = outputGradient(context);
  const dot = F.reduceSum(F.mul(gradient, y), { axes: [axis], keepDims: true });
  return [F.mul(y, F.sub(gradient, dot))];
};

// y = log softmax(x) along axis: dx = dy - exp(y) Σ dy
export const logSoftmaxGradient: GradientFunction = (context) => {
  const y = context.outputs[0] as Tensor;
  const axis = positiveAxis(Number(context.attrs.axis ?? -1), y.rank);
  const gradient = outputGradient(context);
  const total = F.reduceSum(gradient, { axes: [axis], keepDims: true });
  return [F.sub(gradient, F.mul(F.exp(y), total))];
};

// y = cumsum(x) (exclusive/reverse variants): dx = cumsum of dy in the opposite direction.
export const cumSumGradient: GradientFunction = (context) => {
  const axis = context.inputs[1] as Tensor;
  const exclusive = Number(context.attrs.exclusive ?? 0);
  const reverse = Number(context.attrs.reverse ?? 0) !== 0 ? 0 : 1;
  return [runUnary('CumSum', [outputGradient(context), axis], { exclusive, reverse }), undefined];
};
