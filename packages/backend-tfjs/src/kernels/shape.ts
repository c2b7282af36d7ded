// Shape and data-movement ops: Reshape (0 / −1 / allowzero), Flatten, Transpose, Squeeze,
// Unsqueeze, Expand (bidirectional broadcast), Concat and Split. Output shapes are computed on
// the host from the ONNX rules; tfjs moves the data.
// reference: https://onnx.ai/onnx/operators/onnx__Reshape.html, onnx__Split.html
import * as tf from '@tensorflow/tfjs-core';
import { ALL_TFJS, type KernelCall, type TfjsKernelDefinition, type TfjsOutput, defineTfjsKernel, like } from '../kernel-types.js';
import { axisOf, broadcast, intAttr, intsAttr, product } from './helpers.js';

function reshapeTarget(call: KernelCall, input: readonly number[], requested: number[]): number[] {
  const allowZero = intAttr(call, 'allowzero', 0) !== 0;
  const dims = requested.map((dim, axis) => (dim === 0 && !allowZero ? (input[axis] as number) : dim));
  const unknown = dims.indexOf(-1);
  if (unknown >= 0) {
    const known = product(dims.filter((_, axis) => axis !== unknown));
    dims[unknown] = known === 0 ? 0 : product(input) / known;
  }
  return dims;
}

function withShape(op: string, target: (call: KernelCall, shape: readonly number[]) => number[]): TfjsKernelDefinition {
  return defineTfjsKernel({
    op,
    dtypes: ALL_TFJS,
    kernel: (call) => {
      const x = call.input(0);
      return [like(x, tf.reshape(x.tensor(), target(call, x.shape)))];
    },
  });
}

function flattenTarget(call: KernelCall, shape: readonly number[]): number[] {
  const rank = shape.length;
  const raw = intAttr(call, 'axis', 1);
  const axis = raw < 0 ? raw + rank : raw;
  if (axis < 0 || axis > rank) call.decline(`Flatten axis ${raw} out of range for rank ${rank}`);
  return [product(shape.slice(0, axis)), product(shape.slice(axis))];
}

function squeezeTarget(call: KernelCall, shape: readonly number[]): number[] {
  const given = call.inputs[1]?.numbers();
  const axes = given ? given.map((axis) => axisOf(call, axis, shape.length)) : shape.flatMap((dim, axis) => (dim === 1 ? [axis] : []));
  return shape.filter((_, axis) => !axes.includes(axis));
}

function unsqueezeTarget(call: KernelCall, shape: readonly number[]): number[] {
  const rank = shape.length + call.input(1).numbers().length;
  const axes = call.input(1).numbers().map((axis) => axisOf(call, axis, rank));
  const dims = [...shape];
  const out: number[] = [];
  for (let axis = 0; axis < rank; axis++) out.push(axes.includes(axis) ? 1 : (dims.shift() as number));
  return out;
}

function split(call: KernelCall): TfjsOutput[] {
  const x = call.input(0);
  const axis = axisOf(call, intAttr(call, 'axis', 0), x.shape.length);
  const dim = x.shape[axis] as number;
  const given = call.inputs[1]?.numbers();
  let sizes: number[];
  if (given) sizes = given;
  else {
    const parts = intAttr(call, 'num_outputs', call.outputCount);
    const chunk = Math.ceil(dim / parts);
    sizes = Array.from({ length: parts }, (_, index) => Math.max(0, Math.min(chunk, dim - index * chunk)));
  }
  return tf.split(x.tensor(), sizes, axis).map((part) => like(x, part));
}

export const SHAPE_KERNELS: readonly TfjsKernelDefinition[] = [
  withShape('Reshape', (call, shape) => reshapeTarget(call, shape, call.input(1).numbers())),
  withShape('Flatten', flattenTarget),
  withShape('Squeeze', squeezeTarget),
  withShape('Unsqueeze', unsqueezeTarget),
  defineTfjsKernel({
    op: 'Transpose',
    dtypes: ALL_TFJS,
    kernel: (call) => {
      const x = call.input(0);
      const perm = intsAttr(call, 'perm');
      const order = perm.length > 0 ? perm : x.shape.map((_, axis) => x.shape.length - 1 - axis);
      return [like(x, tf.transpose(x.tensor(), order))];
    },
  }),
  defineTfjsKernel({
    op: 'Expand',
    dtypes: ALL_TFJS,
    kernel: (call) => {
      const x = call.input(0);
      const target = broadcast(x.shape, call.input(1).numbers());
      return [like(x, tf.broadcastTo(tf.reshape(x.tensor(), [...new Array(target.length - x.shape.length).fill(1), ...x.shape]), target))];
    },
  }),
  defineTfjsKernel({
    op: 'Concat',
    dtypes: ALL_TFJS,
    kernel: (call) => {
      const first = call.input(0);
      const axis = axisOf(call, intAttr(call, 'axis', 0), first.shape.length);
      const parts = call.inputs.filter((input) => input !== undefined && product(input.shape) > 0);
      if (parts.length === 0) {
        const total = call.inputs.reduce((sum, input) => sum + (input ? (input.shape[axis] as number) : 0), 0);
        return [like(first, tf.zeros(first.shape.map((dim, index) => (index === axis ? total : dim)), first.tensor().dtype))];
      }
      return [like(first, tf.concat(parts.map((input) => (input as NonNullable<typeof input>).tensor()), axis))];
    },
  }),
  defineTfjsKernel({ op: 'Split', dtypes: ALL_TFJS, kernel: split }),
];
