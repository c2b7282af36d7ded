// Comparisons (Equal Less Greater), Not, Where, Identity, Constant, Shape, Dropout (inference)
// and Cast between the dtypes tfjs holds exactly (float32, int32, int64 via int32, bool).
// reference: https://onnx.ai/onnx/operators/onnx__Cast.html, onnx__Dropout.html, onnx__Shape.html
import { type TensorData, dtypeFromOnnx, fromNumbers, readNumber } from '@efficientdl/ir';
import * as tf from '@tensorflow/tfjs-core';
import { ALL_TFJS, type KernelCall, type TfjsKernelDefinition, type TfjsOutput, defineTfjsKernel, like } from '../kernel-types.js';
import { tfjsDType, toTfjsValues } from '../transfer.js';
import { broadcast, intAttr } from './helpers.js';

function comparison(op: string, compute: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor): TfjsKernelDefinition {
  return defineTfjsKernel({
    op,
    dtypes: ALL_TFJS,
    kernel: (call) => [{ tensor: compute(call.input(0).tensor(), call.input(1).tensor()), dtype: 'bool' }],
  });
}

/** Cast: float→int truncates toward zero, x→bool is x ≠ 0 (NaN → true), int64→int32 wraps. */
function cast(call: KernelCall): TfjsOutput[] {
  const x = call.input(0);
  const to = dtypeFromOnnx(intAttr(call, 'to', 0));
  const storage = tfjsDType(to);
  if (!storage) call.decline(`Cast to ${to} has no exact tfjs representation`);
  if (x.dtype === 'int64' && to === 'int32') {
    // wrap modulo 2^32 on the host: exact for every int64 value
    const wrapped = Int32Array.from(x.data.data as BigInt64Array, (value) => Number(BigInt.asIntN(32, value)));
    return [{ tensor: tf.tensor(wrapped, [...x.shape], 'int32'), dtype: to }];
  }
  const source = x.tensor();
  if (storage === 'bool') return [{ tensor: tf.notEqual(source, tf.scalar(0, source.dtype)), dtype: to }];
  if (storage === 'int32' && source.dtype === 'float32') return [{ tensor: tf.cast(tf.mul(tf.sign(source), tf.floor(tf.abs(source))), 'int32'), dtype: to }];
  return [{ tensor: tf.cast(source, storage), dtype: to }];
}

function constantValue(call: KernelCall): TensorData {
  const { value, value_float: valueFloat, value_floats: valueFloats, value_int: valueInt, value_ints: valueInts } = call.attrs;
  if (value !== undefined && typeof value === 'object' && 'data' in value) return value;
  if (typeof valueFloat === 'number') return fromNumbers('float32', [], [valueFloat]);
  if (Array.isArray(valueFloats)) return fromNumbers('float32', [valueFloats.length], valueFloats as number[]);
  if (typeof valueInt === 'number') return fromNumbers('int64', [], [valueInt]);
  if (Array.isArray(valueInts)) return fromNumbers('int64', [valueInts.length], valueInts as number[]);
  return call.decline('Constant needs value, value_float(s) or value_int(s)');
}

const CONSTANT = defineTfjsKernel({
  op: 'Constant',
  dtypes: ALL_TFJS,
  kernel: (call) => {
    const value = constantValue(call);
    const storage = tfjsDType(value.dtype);
    if (!storage) call.decline(`constant of dtype ${value.dtype} has no exact tfjs representation`);
    return [{ tensor: tf.tensor(toTfjsValues(value, call.node), [...value.shape], storage), dtype: value.dtype }];
  },
});

const SHAPE = defineTfjsKernel({
  op: 'Shape',
  dtypes: ALL_TFJS,
  kernel: (call) => {
    const { shape } = call.input(0);
    const rank = shape.length;
    const clamp = (value: number) => Math.min(Math.max(value < 0 ? value + rank : value, 0), rank);
    const start = clamp(intAttr(call, 'start', 0));
    const end = clamp(intAttr(call, 'end', rank));
    const dims = shape.slice(start, Math.max(start, end));
    return [{ tensor: tf.tensor(dims, [dims.length], 'int32'), dtype: 'int64' }];
  },
});

const DROPOUT = defineTfjsKernel({
  op: 'Dropout',
  dtypes: ['float32', 'bool'],
  kernel: (call) => {
    const x = call.input(0);
    const [, ratio, training] = call.inputs;
    const isTraining = training !== undefined && readNumber(training.data, 0) !== 0;
    if (isTraining && ratio !== undefined && readNumber(ratio.data, 0) !== 0) call.decline('training-mode Dropout (random masks) is not supported');
    if (isTraining && ratio === undefined) call.decline('training-mode Dropout with the default ratio 0.5 is not supported');
    return [like(x, x.tensor()), { tensor: tf.cast(tf.onesLike(x.tensor()), 'bool'), dtype: 'bool' }];
  },
});

export const LOGIC_KERNELS: readonly TfjsKernelDefinition[] = [
  comparison('Equal', (a, b) => tf.equal(a, b)),
  comparison('Less', (a, b) => tf.less(a, b)),
  comparison('Greater', (a, b) => tf.greater(a, b)),
  defineTfjsKernel({ op: 'Not', dtypes: ['bool'], kernel: (call) => [like(call.input(0), tf.logicalNot(call.input(0).tensor()))] }),
  defineTfjsKernel({
    op: 'Where',
    dtypes: ALL_TFJS,
    kernel: (call) => {
      const [condition, x, y] = [call.input(0), call.input(1), call.input(2)];
      const shape = tf.broadcastTo(condition.tensor(), broadcast(condition.shape, x.shape, y.shape));
      return [like(x, tf.where(shape, tf.broadcastTo(x.tensor(), shape.shape), tf.broadcastTo(y.tensor(), shape.shape)))];
    },
  }),
  defineTfjsKernel({ op: 'Identity', dtypes: ALL_TFJS, kernel: (call) => [like(call.input(0), tf.clone(call.input(0).tensor()))] }),
  defineTfjsKernel({ op: 'Cast', dtypes: ALL_TFJS, kernel: cast }),
  CONSTANT,
  SHAPE,
  DROPOUT,
];
