// Reductions (ReduceSum/Mean/Max/Min with the axes input, keepdims and noop_with_empty_axes),
// Softmax/LogSoftmax on any axis, ArgMax (first or last index), CumSum and TopK.
// reference: https://onnx.ai/onnx/operators/onnx__ReduceSum.html, onnx__TopK.html, onnx__CumSum.html
import * as tf from '@tensorflow/tfjs-core';
import { FLOAT, type KernelCall, NUMERIC, type TfjsKernelDefinition, type TfjsOutput, defineTfjsKernel, like } from '../kernel-types.js';
import { INT32_MAX } from '../transfer.js';
import { axisOf, guardInt64, intAttr, maxAbs, product } from './helpers.js';

type Reducer = (x: tf.Tensor, axes: number[], reducedCount: number, call: KernelCall) => tf.Tensor;

/** Sorted, normalized axes of a Reduce* node, or undefined for the noop case. */
function reduceAxes(call: KernelCall, rank: number): number[] | undefined {
  const given = call.inputs[1]?.numbers() ?? [];
  if (given.length === 0) {
    return intAttr(call, 'noop_with_empty_axes', 0) ? undefined : Array.from({ length: rank }, (_, axis) => axis);
  }
  return [...new Set(given.map((axis) => axisOf(call, axis, rank)))].sort((a, b) => a - b);
}

function reduce(op: string, reducer: Reducer, empty: (dtype: string) => number | undefined): TfjsKernelDefinition {
  return defineTfjsKernel({
    op,
    dtypes: NUMERIC,
    kernel: (call) => {
      const x = call.input(0);
      const axes = reduceAxes(call, x.shape.length);
      if (!axes) return [like(x, tf.clone(x.tensor()))];
      const keep = intAttr(call, 'keepdims', 1) !== 0;
      const reducedCount = product(axes.map((axis) => x.shape[axis] as number));
      const outShape = x.shape.flatMap((dim, axis) => (axes.includes(axis) ? (keep ? [1] : []) : [dim]));
      if (reducedCount === 0) {
        const fill = empty(x.data.dtype);
        if (fill === undefined) return call.decline(`${op} over an empty ${x.dtype} axis has no identity value`);
        return [like(x, tf.fill(outShape, fill, x.tensor().dtype))];
      }
      const reduced = reducer(x.tensor(), axes, reducedCount, call);
      return [like(x, tf.reshape(reduced, outShape))];
    },
  });
}

const sum: Reducer = (x, axes, count, call) => {
  guardInt64(call, call.input(0), () => count * maxAbs(call.input(0).data));
  return tf.sum(x, axes);
};

const mean: Reducer = (x, axes, count, call) => {
  if (x.dtype === 'float32') return tf.mean(x, axes);
  if (!(count * maxAbs(call.input(0).data) <= INT32_MAX)) call.decline('integer ReduceMean sum would leave the int32 range');
  // integer mean truncates toward zero like integer Div
  const total = tf.sum(x, axes);
  return tf.cast(tf.mul(tf.sign(total), tf.floorDiv(tf.abs(total), count)), 'int32');
};

const floatOnly = (value: number) => (dtype: string) => (dtype === 'float32' ? value : undefined);

function moveAxisLast(x: tf.Tensor, axis: number): { moved: tf.Tensor; perm: number[] } {
  const perm = Array.from({ length: x.rank }, (_, index) => index).filter((index) => index !== axis);
  perm.push(axis);
  return { moved: tf.transpose(x, perm), perm };
}

function inversePermutation(perm: readonly number[]): number[] {
  const inverse = new Array<number>(perm.length);
  perm.forEach((source, target) => {
    inverse[source] = target;
  });
  return inverse;
}

function softmaxLike(op: string, compute: (x: tf.Tensor) => tf.Tensor): TfjsKernelDefinition {
  return defineTfjsKernel({
    op,
    dtypes: FLOAT,
    kernel: (call) => {
      const x = call.input(0);
      if (x.shape.length === 0) return [like(x, tf.reshape(compute(tf.reshape(x.tensor(), [1])), []))];
      const axis = axisOf(call, intAttr(call, 'axis', -1), x.shape.length);
      const { moved, perm } = moveAxisLast(x.tensor(), axis);
      return [like(x, tf.transpose(compute(moved), inversePermutation(perm)))];
    },
  });
}

const ARG_MAX = defineTfjsKernel({
  op: 'ArgMax',
  dtypes: NUMERIC,
  kernel: (call) => {
    const x = call.input(0);
    const rank = x.shape.length;
    const axis = axisOf(call, intAttr(call, 'axis', 0), rank);
    const size = rank === 0 ? 1 : (x.shape[axis] as number);
    if (size === 0) call.decline('ArgMax over an empty axis');
    const last = intAttr(call, 'select_last_index', 0) !== 0;
    const source = rank === 0 ? tf.reshape(x.tensor(), [1]) : x.tensor();
    let index = last ? tf.sub(size - 1, tf.argMax(tf.reverse(source, axis), axis)) : tf.argMax(source, axis);
    if (intAttr(call, 'keepdims', 1) !== 0 && rank > 0) index = tf.expandDims(index, axis);
    return [{ tensor: rank === 0 ? tf.reshape(index, []) : index, dtype: 'int64' }];
  },
});

const CUM_SUM = defineTfjsKernel({
  op: 'CumSum',
  dtypes: NUMERIC,
  kernel: (call) => {
    const x = call.input(0);
    const axis = axisOf(call, call.input(1).numbers()[0] ?? 0, x.shape.length);
    guardInt64(call, x, () => (x.shape[axis] ?? 1) * maxAbs(x.data));
    const exclusive = intAttr(call, 'exclusive', 0) !== 0;
    const reverse = intAttr(call, 'reverse', 0) !== 0;
    return [like(x, tf.cumsum(x.tensor(), axis, exclusive, reverse))];
  },
});

function topK(call: KernelCall): TfjsOutput[] {
  const x = call.input(0);
  const k = call.input(1).numbers()[0] ?? 0;
  const axis = axisOf(call, intAttr(call, 'axis', -1), x.shape.length);
  const largest = intAttr(call, 'largest', 1) !== 0;
  if (!largest && x.dtype !== 'float32' && !(maxAbs(x.data) <= INT32_MAX)) call.decline('smallest-TopK negation would overflow int32');
  const { moved, perm } = moveAxisLast(x.tensor(), axis);
  const inverse = inversePermutation(perm);
  if (k === 0) {
    const empty = tf.slice(moved, moved.shape.map(() => 0), [...moved.shape.slice(0, -1), 0]);
    return [like(x, tf.transpose(empty, inverse)), { tensor: tf.transpose(tf.cast(empty, 'int32'), inverse), dtype: 'int64' }];
  }
  // smallest-k = largest-k of −x; tfjs orders equal values by lower index, as ONNX requires
  const { values, indices } = tf.topk(largest ? moved : tf.neg(moved), k, true);
  const restored = largest ? values : tf.neg(values);
  return [like(x, tf.transpose(restored, inverse)), { tensor: tf.transpose(indices, inverse), dtype: 'int64' }];
}

export const REDUCTION_KERNELS: readonly TfjsKernelDefinition[] = [
  reduce('ReduceSum', sum, () => 0),
  reduce('ReduceMean', mean, floatOnly(Number.NaN)),
  reduce('ReduceMax', (x, axes) => tf.max(x, axes), floatOnly(Number.NEGATIVE_INFINITY)),
  reduce('ReduceMin', (x, axes) => tf.min(x, axes), floatOnly(Number.POSITIVE_INFINITY)),
  softmaxLike('Softmax', (x) => tf.softmax(x)),
  softmaxLike('LogSoftmax', (x) => tf.logSoftmax(x)),
  ARG_MAX,
  CUM_SUM,
  defineTfjsKernel({ op: 'TopK', dtypes: NUMERIC, kernel: topK }),
];
