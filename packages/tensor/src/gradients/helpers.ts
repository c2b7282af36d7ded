// Shared building blocks of gradient functions: un-broadcasting, host-known int64 operands,
// scalar constants, zeros and the one-hot scatter-add used by Gather/Slice/TopK gradients.
// Everything here is written with tensor ops, so gradients run on any backend.
import { type StaticShape, shapeSize, shapesEqual, toNumberArray } from '@efficientdl/ir';
import * as F from '../functional.js';
import type { Tensor } from '../tensor.js';
import type { GradientContext } from './gradient-types.js';

/** Sums `gradient` over the axes that broadcasting expanded, then reshapes it to `shape`. */
export function unbroadcast(gradient: Tensor, shape: StaticShape): Tensor {
  if (shapesEqual(gradient.shape, shape)) return gradient;
  const offset = gradient.rank - shape.length;
  const axes: number[] = [];
  gradient.shape.forEach((dim, axis) => {
    const target = axis < offset ? 1 : (shape[axis - offset] as number);
    if (axis < offset || (target === 1 && dim !== 1)) axes.push(axis);
  });
  const summed = axes.length > 0 ? F.reduceSum(gradient, { axes, keepDims: true }) : gradient;
  return shapesEqual(summed.shape, shape) ? summed : F.reshape(summed, shape);
}

/** The values of a host-known integer operand (Reshape shape, Slice starts, axes…). */
export function readInts(tensor: Tensor | undefined): number[] | undefined {
  return tensor ? Array.from(toNumberArray(tensor.data)) : undefined;
}

/** A scalar constant with `like`'s dtype. */
export function scalar(value: number, like: Tensor): Tensor {
  return F.scalarLike(value, like);
}

export function zerosLike(like: { shape: StaticShape; dtype: Tensor['dtype'] }): Tensor {
  return F.zeros([...like.shape], like.dtype);
}

/** A bool/condition mask as a 0/1 tensor of `like`'s dtype. */
export function maskOf(condition: Tensor, like: Tensor): Tensor {
  return F.cast(condition, like.dtype);
}

/** Normalizes a possibly negative axis. */
export function positiveAxis(axis: number, rank: number): number {
  return axis < 0 ? axis + rank : axis;
}

/** Row-major product of dims in [start, end). */
export function product(shape: StaticShape, start = 0, end = shape.length): number {
  return shapeSize(shape.slice(start, end));
}

/** The int64 tensor 0..count-1. */
export function arange(count: number): Tensor {
  return F.int64(Array.from({ length: count }, (_, index) => index));
}

/**
 * One-hot of integer `indices` over `depth` classes, in `like`'s dtype.
 * indices: (...) int → result: (..., depth). Negative indices count from the end (ONNX).
 */
export function oneHot(indices: Tensor, depth: number, like: Tensor): Tensor {
  const asInt64 = indices.dtype === 'int64' ? indices : F.cast(indices, 'int64');
  const wrapped = F.where(F.less(asInt64, 0), F.add(asInt64, depth), asInt64);
  const expanded = F.unsqueeze(wrapped, [wrapped.rank]);
  return maskOf(F.equal(expanded, arange(depth)), like);
}

/**
 * Scatter-add along `axis` (the adjoint of Gather): result has `outputShape`, and
 * result[pre, indices[i], post] += gradient[pre, i..., post] for every index position i.
 * gradient: outputShape[:axis] + indices.shape + outputShape[axis+1:].
 */
export function scatterAddAlongAxis(options: {
  gradient: Tensor;
  indices: Tensor;
  axis: number;
  outputShape: StaticShape;
}): Tensor {
  const { gradient, indices, axis, outputShape } = options;
  const depth = outputShape[axis] as number;
  const before = product(outputShape, 0, axis);
  const after = product(outputShape, axis + 1);
  const count = shapeSize(indices.shape);
  // selection: (count, depth); gradient viewed as (before, count, after)
  const selection = F.reshape(oneHot(indices, depth, gradient), [count, depth]);
  const grouped = F.reshape(gradient, [before, count, after]);
  // (depth, count) @ (before, count, after) → (before, depth, after)
  const scattered = F.matmul(F.transpose(selection, [1, 0]), grouped);
  return F.reshape(scattered, outputShape);
}

/** d(loss)/d(output `index`), zeros where that output did not reach the loss. */
export function outputGradient(context: GradientContext, index = 0): Tensor {
  return context.outputGrads[index] ?? zerosLike(context.outputs[index] as Tensor);
}

/** Input `index` of the forward op (present for every required input). */
export function inputAt(context: GradientContext, index: number): Tensor {
  return context.inputs[index] as Tensor;
}

/**
 * Scatter-add of per-position indices along `axis` (the adjoint of GatherElements / TopK):
 * result[..., indices[..., k, ...], ...] += gradient[..., k, ...], with result size `depth` on axis.
 * gradient, indices: the same shape.
 */
export function scatterAddElements(options: { gradient: Tensor; indices: Tensor; axis: number; depth: number }): Tensor {
  const { gradient, indices, axis, depth } = options;
  const rank = gradient.rank;
  const toLast = [...Array.from({ length: rank }, (_, index) => index).filter((index) => index !== axis), axis];
  const fromLast = new Array<number>(rank);
  toLast.forEach((source, target) => {
    fromLast[source] = target;
  });
  // gradientLast: (..., K) → (..., 1, K); selection: (..., K, depth)
  const gradientLast = F.unsqueeze(F.transpose(gradient, toLast), [rank - 1]);
  const selection = oneHot(F.transpose(indices, toLast), depth, gradient);
  const scattered = F.matmul(gradientLast, selection); // (..., 1, depth)
  return F.transpose(F.squeeze(scattered, [rank - 1]), fromLast);
}
