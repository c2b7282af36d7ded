// Binary arithmetic (Add Sub Mul Div Pow) with numpy broadcasting. Integer Div truncates toward
// zero as ONNX does (tfjs floors, so the quotient is corrected); int64 runs through int32 only
// when the inputs bound every result inside the int32 range.
// reference: https://onnx.ai/onnx/operators/onnx__Add.html, onnx__Div.html, onnx__Pow.html
import * as tf from '@tensorflow/tfjs-core';
import { type KernelCall, NUMERIC, type TfjsKernelDefinition, defineTfjsKernel, like } from '../kernel-types.js';
import { guardInt64, maxAbs } from './helpers.js';

type Bound = (a: number, b: number) => number;

function binary(op: string, compute: (a: tf.Tensor, b: tf.Tensor, call: KernelCall, bound: number) => tf.Tensor, bound: Bound): TfjsKernelDefinition {
  return defineTfjsKernel({
    op,
    dtypes: NUMERIC,
    kernel: (call) => {
      const a = call.input(0);
      const b = call.input(1);
      const limit = bound(maxAbs(a.data), maxAbs(b.data));
      guardInt64(call, a, () => limit);
      return [like(a, compute(a.tensor(), b.tensor(), call, limit))];
    },
  });
}

/** Integer division truncating toward zero: floor quotient + 1 where signs differ and a remainder is left. */
function truncatingDivide(a: tf.Tensor, b: tf.Tensor): tf.Tensor {
  const floored = tf.floorDiv(a, b);
  const remainder = tf.sub(a, tf.mul(floored, b));
  const signsDiffer = tf.notEqual(tf.less(a, 0), tf.less(b, 0));
  const adjust = tf.logicalAnd(signsDiffer, tf.notEqual(remainder, 0));
  return tf.add(floored, tf.cast(adjust, 'int32'));
}

// Integer Pow runs in float32, exact while every |result| stays below 2^24.
const INTEGER_POW_EXACT = 2 ** 24;

const POW = defineTfjsKernel({
  op: 'Pow',
  dtypes: NUMERIC,
  kernel: (call) => {
    const base = call.input(0);
    const exponent = call.input(1);
    const floatExponent = tf.cast(exponent.tensor(), 'float32');
    if (base.dtype === 'float32') return [like(base, tf.pow(base.tensor(), floatExponent))];
    const exponents = exponent.numbers();
    if (exponents.some((value) => value < 0 || !Number.isInteger(value))) call.decline('integer Pow needs non-negative integer exponents');
    const bound = maxAbs(base.data) ** Math.max(0, ...exponents);
    if (!(bound < INTEGER_POW_EXACT)) call.decline(`integer Pow results may reach ${bound}, beyond float32's exact integers`);
    const result = tf.round(tf.pow(tf.cast(base.tensor(), 'float32'), floatExponent));
    return [like(base, tf.cast(result, 'int32'))];
  },
});

// int32 Mul: the JS cpu backend multiplies in float64 before wrapping, exact below 2^53.
const INT32_MUL_EXACT = 2 ** 53;

function multiply(a: tf.Tensor, b: tf.Tensor, call: KernelCall, bound: number): tf.Tensor {
  if (a.dtype === 'int32' && !(bound < INT32_MUL_EXACT)) call.decline(`int32 products may reach ${bound}, beyond exact wrap-around`);
  return tf.mul(a, b);
}

export const ARITHMETIC_KERNELS: readonly TfjsKernelDefinition[] = [
  binary('Add', (a, b) => tf.add(a, b), (a, b) => a + b),
  binary('Sub', (a, b) => tf.sub(a, b), (a, b) => a + b),
  binary('Mul', multiply, (a, b) => a * b),
  binary('Div', (a, b) => (a.dtype === 'float32' ? tf.div(a, b) : truncatingDivide(a, b)), (a) => a + 1),
  POW,
];
