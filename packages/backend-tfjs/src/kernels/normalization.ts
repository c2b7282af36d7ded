// BatchNormalization (inference, and training mode with running-stat outputs), LayerNormalization
// (Mean / InvStdDev outputs), InstanceNormalization and GroupNormalization, using population
// variance as ONNX specifies.
// reference: https://onnx.ai/onnx/operators/onnx__BatchNormalization.html, onnx__LayerNormalization.html
import * as tf from '@tensorflow/tfjs-core';
import { FLOAT, type KernelCall, type TfjsKernelDefinition, type TfjsOutput, defineTfjsKernel, like } from '../kernel-types.js';
import { axisOf, intAttr, product } from './helpers.js';

const epsilonOf = (call: KernelCall) => (call.attrs.epsilon as number | undefined) ?? 1e-5;

/** (C) → (1, C, 1, …) to broadcast over an NC… tensor of `rank`. */
function perChannel(vector: tf.Tensor, rank: number): tf.Tensor {
  return tf.reshape(vector, [1, vector.shape[0] as number, ...new Array<number>(Math.max(0, rank - 2)).fill(1)]);
}

function batchNormalization(call: KernelCall): TfjsOutput[] {
  const x = call.input(0);
  const rank = x.shape.length;
  const [scale, bias, mean, variance] = [1, 2, 3, 4].map((index) => perChannel(call.input(index).tensor(), rank)) as tf.Tensor[];
  const epsilon = epsilonOf(call);
  if (intAttr(call, 'training_mode', 0) === 0) {
    const y = tf.add(tf.mul(tf.div(tf.sub(x.tensor(), mean!), tf.sqrt(tf.add(variance!, epsilon))), scale!), bias!);
    return [like(x, y)];
  }
  const momentum = (call.attrs.momentum as number | undefined) ?? 0.9;
  const axes = [0, ...Array.from({ length: rank - 2 }, (_, index) => index + 2)];
  const moments = tf.moments(x.tensor(), axes, true);
  const y = tf.add(tf.mul(tf.div(tf.sub(x.tensor(), moments.mean), tf.sqrt(tf.add(moments.variance, epsilon))), scale!), bias!);
  const blend = (running: tf.Tensor, current: tf.Tensor) => tf.add(tf.mul(running, momentum), tf.mul(tf.reshape(current, [-1]), 1 - momentum));
  return [like(x, y), like(x, blend(call.input(3).tensor(), moments.mean)), like(x, blend(call.input(4).tensor(), moments.variance))];
}

function layerNormalization(call: KernelCall): TfjsOutput[] {
  const x = call.input(0);
  const rank = x.shape.length;
  const axis = axisOf(call, intAttr(call, 'axis', -1), rank);
  const axes = Array.from({ length: rank - axis }, (_, index) => axis + index);
  const { mean, variance } = tf.moments(x.tensor(), axes, true);
  const inverse = tf.rsqrt(tf.add(variance, epsilonOf(call)));
  let y = tf.mul(tf.mul(tf.sub(x.tensor(), mean), inverse), call.input(1).tensor());
  if (call.inputs[2]) y = tf.add(y, call.inputs[2].tensor());
  return [like(x, y), like(x, mean), like(x, inverse)];
}

function instanceNormalization(call: KernelCall): TfjsOutput[] {
  const x = call.input(0);
  const rank = x.shape.length;
  const axes = Array.from({ length: rank - 2 }, (_, index) => index + 2);
  const { mean, variance } = tf.moments(x.tensor(), axes, true);
  const normalized = tf.div(tf.sub(x.tensor(), mean), tf.sqrt(tf.add(variance, epsilonOf(call))));
  const y = tf.add(tf.mul(normalized, perChannel(call.input(1).tensor(), rank)), perChannel(call.input(2).tensor(), rank));
  return [like(x, y)];
}

function groupNormalization(call: KernelCall): TfjsOutput[] {
  const x = call.input(0);
  const [batch, channels] = x.shape as [number, number];
  const groups = intAttr(call, 'num_groups', 1);
  if (call.input(1).shape[0] !== channels) call.decline('GroupNormalization needs per-channel scale/bias (opset 21)');
  // (N, C, …) → (N, G, C/G · spatial)
  const grouped = tf.reshape(x.tensor(), [batch, groups, (channels / groups) * product(x.shape.slice(2))]);
  const { mean, variance } = tf.moments(grouped, [2], true);
  const normalized = tf.reshape(tf.div(tf.sub(grouped, mean), tf.sqrt(tf.add(variance, epsilonOf(call)))), [...x.shape]);
  const rank = x.shape.length;
  const y = tf.add(tf.mul(normalized, perChannel(call.input(1).tensor(), rank)), perChannel(call.input(2).tensor(), rank));
  return [like(x, y)];
}

export const NORMALIZATION_KERNELS: readonly TfjsKernelDefinition[] = [
  defineTfjsKernel({ op: 'BatchNormalization', dtypes: FLOAT, kernel: batchNormalization }),
  defineTfjsKernel({ op: 'LayerNormalization', dtypes: FLOAT, kernel: layerNormalization }),
  defineTfjsKernel({ op: 'InstanceNormalization', dtypes: FLOAT, kernel: instanceNormalization }),
  defineTfjsKernel({ op: 'GroupNormalization', dtypes: FLOAT, kernel: groupNormalization }),
];
