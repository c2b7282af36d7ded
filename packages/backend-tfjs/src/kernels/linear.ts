// MatMul (numpy semantics: 1-D operands promoted and squeezed, batch dims broadcast) and Gemm
// (transA/transB, alpha, beta, optional broadcast C). Integer MatMul accumulates in float32,
// exact only while every partial sum stays below 2^24, so larger bounds are declined.
// reference: https://onnx.ai/onnx/operators/onnx__MatMul.html, onnx__Gemm.html
import * as tf from '@tensorflow/tfjs-core';
import { FLOAT, type KernelCall, NUMERIC, type TfjsKernelDefinition, type TfjsOutput, defineTfjsKernel, like } from '../kernel-types.js';
import { broadcast, intAttr, maxAbs } from './helpers.js';

const FLOAT32_EXACT_INTEGER = 2 ** 24;

function matmul(call: KernelCall): TfjsOutput[] {
  const a = call.input(0);
  const b = call.input(1);
  const aShape = a.shape.length === 1 ? [1, ...a.shape] : [...a.shape];
  const bShape = b.shape.length === 1 ? [...b.shape, 1] : [...b.shape];
  const inner = aShape[aShape.length - 1] as number;
  const integer = a.dtype !== 'float32';
  if (integer) {
    const bound = inner * maxAbs(a.data) * maxAbs(b.data);
    if (!(bound < FLOAT32_EXACT_INTEGER)) call.decline(`integer MatMul sums may reach ${bound}, beyond float32's exact integers`);
  }
  // broadcast batch dims explicitly: a (…, M, K), b (…, K, N)
  const batch = broadcast(aShape.slice(0, -2), bShape.slice(0, -2));
  const toFloat = (tensor: tf.Tensor) => (integer ? tf.cast(tensor, 'float32') : tensor);
  const left = tf.broadcastTo(tf.reshape(toFloat(a.tensor()), aShape), [...batch, ...aShape.slice(-2)]);
  const right = tf.broadcastTo(tf.reshape(toFloat(b.tensor()), bShape), [...batch, ...bShape.slice(-2)]);
  let product = tf.matMul(left, right);
  const outShape = [...batch, ...(a.shape.length === 1 ? [] : [aShape[aShape.length - 2] as number]), ...(b.shape.length === 1 ? [] : [bShape[bShape.length - 1] as number])];
  product = tf.reshape(product, outShape);
  return [like(a, integer ? tf.cast(tf.round(product), 'int32') : product)];
}

function gemm(call: KernelCall): TfjsOutput[] {
  const a = call.input(0);
  const alpha = (call.attrs.alpha as number | undefined) ?? 1;
  const beta = (call.attrs.beta as number | undefined) ?? 1;
  // A (M, K) or transposed; B (K, N) or transposed
  let y = tf.matMul(a.tensor(), call.input(1).tensor(), intAttr(call, 'transA', 0) !== 0, intAttr(call, 'transB', 0) !== 0);
  if (alpha !== 1) y = tf.mul(y, alpha);
  const c = call.inputs[2];
  if (c && beta !== 0) y = tf.add(y, beta === 1 ? c.tensor() : tf.mul(c.tensor(), beta));
  return [like(a, y)];
}

export const LINEAR_KERNELS: readonly TfjsKernelDefinition[] = [
  defineTfjsKernel({ op: 'MatMul', dtypes: NUMERIC, kernel: matmul }),
  defineTfjsKernel({ op: 'Gemm', dtypes: FLOAT, kernel: gemm }),
];
