// Unary math and activations: Neg Abs Exp Log Sqrt Reciprocal Erf Sigmoid Tanh Relu LeakyRelu
// Gelu (erf or tanh formula) HardSwish, and Clip with optional min/max inputs.
// reference: https://onnx.ai/onnx/operators/onnx__Gelu.html, onnx__HardSwish.html, onnx__Clip.html
import type { DType } from '@efficientdl/ir';
import * as tf from '@tensorflow/tfjs-core';
import { FLOAT, NUMERIC, type TfjsKernelDefinition, defineTfjsKernel, like } from '../kernel-types.js';
import { guardInt64, maxAbs, stringAttr } from './helpers.js';

function unary(op: string, dtypes: readonly DType[], compute: (x: tf.Tensor) => tf.Tensor): TfjsKernelDefinition {
  return defineTfjsKernel({
    op,
    dtypes,
    kernel: (call) => {
      const x = call.input(0);
      // Neg/Abs of int64 −2^31 would leave the int32 range.
      guardInt64(call, x, () => maxAbs(x.data));
      return [like(x, compute(x.tensor()))];
    },
  });
}

const SQRT_HALF = Math.SQRT1_2;
const SQRT_TWO_OVER_PI = Math.sqrt(2 / Math.PI);

/** Gelu: x·Φ(x) = 0.5·x·(1 + erf(x/√2)), or the tanh approximation 0.5·x·(1 + tanh(√(2/π)(x + 0.044715x³))). */
function gelu(x: tf.Tensor, approximate: string): tf.Tensor {
  const inner =
    approximate === 'tanh'
      ? tf.tanh(tf.mul(SQRT_TWO_OVER_PI, tf.add(x, tf.mul(0.044715, tf.pow(x, 3)))))
      : tf.erf(tf.mul(x, SQRT_HALF));
  return tf.mul(tf.mul(x, 0.5), tf.add(inner, 1));
}

/** HardSwish: x · clamp(x/6 + 1/2, 0, 1). */
function hardSwish(x: tf.Tensor): tf.Tensor {
  return tf.mul(x, tf.clipByValue(tf.add(tf.div(x, 6), 0.5), 0, 1));
}

const GELU = defineTfjsKernel({
  op: 'Gelu',
  dtypes: FLOAT,
  kernel: (call) => {
    const x = call.input(0);
    const approximate = stringAttr(call, 'approximate', 'none');
    if (approximate !== 'none' && approximate !== 'tanh') call.decline(`unknown approximate '${approximate}'`);
    return [like(x, gelu(x.tensor(), approximate))];
  },
});

const LEAKY_RELU = defineTfjsKernel({
  op: 'LeakyRelu',
  dtypes: FLOAT,
  kernel: (call) => {
    const x = call.input(0);
    const alpha = call.attrs.alpha;
    return [like(x, tf.leakyRelu(x.tensor(), typeof alpha === 'number' ? alpha : 0.01))];
  },
});

const CLIP = defineTfjsKernel({
  op: 'Clip',
  dtypes: NUMERIC,
  kernel: (call) => {
    const x = call.input(0);
    const [, low, high] = call.inputs;
    let y = x.tensor();
    if (low) y = tf.maximum(y, low.tensor());
    if (high) y = tf.minimum(y, high.tensor());
    return [like(x, y)];
  },
});

export const UNARY_KERNELS: readonly TfjsKernelDefinition[] = [
  unary('Neg', NUMERIC, (x) => tf.neg(x)),
  unary('Abs', NUMERIC, (x) => tf.abs(x)),
  unary('Exp', FLOAT, (x) => tf.exp(x)),
  unary('Log', FLOAT, (x) => tf.log(x)),
  unary('Sqrt', FLOAT, (x) => tf.sqrt(x)),
  unary('Reciprocal', FLOAT, (x) => tf.reciprocal(x)),
  unary('Erf', FLOAT, (x) => tf.erf(x)),
  unary('Sigmoid', FLOAT, (x) => tf.sigmoid(x)),
  unary('Tanh', FLOAT, (x) => tf.tanh(x)),
  unary('Relu', NUMERIC, (x) => tf.relu(x)),
  unary('HardSwish', FLOAT, hardSwish),
  LEAKY_RELU,
  GELU,
  CLIP,
];

