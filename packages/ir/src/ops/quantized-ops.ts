// Integer and quantized-linear compute ops: QLinearMatMul, QLinearConv (requantized int8/uint8
// outputs), MatMulInteger, ConvInteger (int32 outputs) and DynamicQuantizeLinear (uint8 with a
// computed scale / zero point). None is differentiable.
// reference: https://onnx.ai/onnx/operators/onnx__QLinearMatMul.html, onnx__QLinearConv.html,
// onnx__MatMulInteger.html, onnx__ConvInteger.html, onnx__DynamicQuantizeLinear.html
import type { DType } from '../dtype.js';
import type { InferenceContext, OpSchema } from '../op-schema.js';
import { ONNX_DOMAIN } from '../op-schema.js';
import { type Dim, formatShape } from '../shape.js';
import { CONV_ATTRS, convOutputShape } from './convolution.js';
import { dtypeError, input, shapeError } from './infer-helpers.js';
import { matmulShape } from './linear.js';

const INT8_TYPES: readonly DType[] = ['int8', 'uint8'];
const SCALE_TYPES: readonly DType[] = ['float32', 'float16', 'bfloat16'];

/** A scale / zero point must be a scalar, a 1-element tensor or a 1-D vector of `length`. */
function checkParameter(context: InferenceContext, index: number, length: Dim, what: string): void {
  const info = context.inputs[index];
  if (!info) return;
  const count = info.shape.reduce<number | undefined>((product, dim) => (product === undefined || typeof dim !== 'number' ? undefined : product * dim), 1);
  if (count === 1 || count === undefined) return;
  const lastNonOne = info.shape.filter((dim) => dim !== 1);
  if (lastNonOne.length === 1 && (typeof length !== 'number' || lastNonOne[0] === length)) return;
  shapeError(context, `${what} ${formatShape(info.shape)} must be per-tensor or have ${length} entries`);
}

/** The zero point at `zeroIndex` must share the dtype of the quantized input at `valueIndex`. */
function checkZeroPointDType(context: InferenceContext, valueIndex: number, zeroIndex: number): void {
  const zeroPoint = context.inputs[zeroIndex];
  const value = input(context, valueIndex);
  if (zeroPoint && zeroPoint.dtype !== value.dtype) {
    dtypeError(context, `zero point (input ${zeroIndex}) dtype ${zeroPoint.dtype} must match input ${valueIndex} (${value.dtype})`);
  }
}

const QLinearMatMul: OpSchema = {
  name: 'QLinearMatMul',
  domain: ONNX_DOMAIN,
  inputs: [
    { name: 'a', dtypes: INT8_TYPES },
    { name: 'a_scale', dtypes: SCALE_TYPES },
    { name: 'a_zero_point', dtypes: INT8_TYPES },
    { name: 'b', dtypes: INT8_TYPES },
    { name: 'b_scale', dtypes: SCALE_TYPES },
    { name: 'b_zero_point', dtypes: INT8_TYPES },
    { name: 'y_scale', dtypes: SCALE_TYPES },
    { name: 'y_zero_point', dtypes: INT8_TYPES },
  ],
  outputs: [{ name: 'y' }],
  attrs: {},
  differentiable: false,
  infer(context) {
    checkZeroPointDType(context, 0, 2);
    checkZeroPointDType(context, 3, 5);
    const shape = matmulShape(context, 0, 3);
    const a = input(context, 0).shape;
    const b = input(context, 3).shape;
    const rows = a.length === 1 ? 1 : (a[a.length - 2] as Dim);
    const columns = b.length === 1 ? 1 : (b[b.length - 1] as Dim);
    checkParameter(context, 1, rows, 'a_scale');
    checkParameter(context, 2, rows, 'a_zero_point');
    checkParameter(context, 4, columns, 'b_scale');
    checkParameter(context, 5, columns, 'b_zero_point');
    checkParameter(context, 6, 1, 'y_scale');
    checkParameter(context, 7, 1, 'y_zero_point');
    return [{ dtype: input(context, 7).dtype, shape }];
  },
};

const MatMulInteger: OpSchema = {
  name: 'MatMulInteger',
  domain: ONNX_DOMAIN,
  inputs: [
    { name: 'A', dtypes: INT8_TYPES },
    { name: 'B', dtypes: INT8_TYPES },
    { name: 'a_zero_point', optional: true, dtypes: INT8_TYPES },
    { name: 'b_zero_point', optional: true, dtypes: INT8_TYPES },
  ],
  outputs: [{ name: 'Y' }],
  attrs: {},
  differentiable: false,
  infer(context) {
    checkZeroPointDType(context, 0, 2);
    checkZeroPointDType(context, 1, 3);
    const shape = matmulShape(context, 0, 1);
    const a = input(context, 0).shape;
    const b = input(context, 1).shape;
    checkParameter(context, 2, a.length === 1 ? 1 : (a[a.length - 2] as Dim), 'a_zero_point');
    checkParameter(context, 3, b.length === 1 ? 1 : (b[b.length - 1] as Dim), 'b_zero_point');
    return [{ dtype: 'int32', shape }];
  },
};

const ConvInteger: OpSchema = {
  name: 'ConvInteger',
  domain: ONNX_DOMAIN,
  inputs: [
    { name: 'x', dtypes: INT8_TYPES },
    { name: 'w', dtypes: INT8_TYPES },
    { name: 'x_zero_point', optional: true, dtypes: INT8_TYPES },
    { name: 'w_zero_point', optional: true, dtypes: INT8_TYPES },
  ],
  outputs: [{ name: 'y' }],
  attrs: CONV_ATTRS,
  differentiable: false,
  infer(context) {
    checkZeroPointDType(context, 0, 2);
    checkZeroPointDType(context, 1, 3);
    const shape = convOutputShape(context, { x: 0, w: 1 });
    checkParameter(context, 2, 1, 'x_zero_point');
    checkParameter(context, 3, input(context, 1).shape[0] as Dim, 'w_zero_point');
    return [{ dtype: 'int32', shape }];
  },
};

const QLinearConv: OpSchema = {
  name: 'QLinearConv',
  domain: ONNX_DOMAIN,
  inputs: [
    { name: 'x', dtypes: INT8_TYPES },
    { name: 'x_scale', dtypes: SCALE_TYPES },
    { name: 'x_zero_point', dtypes: INT8_TYPES },
    { name: 'w', dtypes: INT8_TYPES },
    { name: 'w_scale', dtypes: SCALE_TYPES },
    { name: 'w_zero_point', dtypes: INT8_TYPES },
    { name: 'y_scale', dtypes: SCALE_TYPES },
    { name: 'y_zero_point', dtypes: INT8_TYPES },
    { name: 'B', optional: true, dtypes: ['int32'] },
  ],
  outputs: [{ name: 'y' }],
  attrs: CONV_ATTRS,
  differentiable: false,
  infer(context) {
    checkZeroPointDType(context, 0, 2);
    checkZeroPointDType(context, 3, 5);
    const shape = convOutputShape(context, { x: 0, w: 3, bias: 8 });
    const outChannels = input(context, 3).shape[0] as Dim;
    checkParameter(context, 1, 1, 'x_scale');
    checkParameter(context, 2, 1, 'x_zero_point');
    checkParameter(context, 4, outChannels, 'w_scale');
    checkParameter(context, 5, outChannels, 'w_zero_point');
    checkParameter(context, 6, 1, 'y_scale');
    checkParameter(context, 7, 1, 'y_zero_point');
    return [{ dtype: input(context, 7).dtype, shape }];
  },
};

const DynamicQuantizeLinear: OpSchema = {
  name: 'DynamicQuantizeLinear',
  domain: ONNX_DOMAIN,
  inputs: [{ name: 'x', dtypes: ['float32'] }],
  outputs: [{ name: 'y' }, { name: 'y_scale' }, { name: 'y_zero_point' }],
  attrs: {},
  differentiable: false,
  infer(context) {
    if (context.outputCount > 3) shapeError(context, `declares ${context.outputCount} outputs, the op has 3`);
    const x = input(context, 0);
    return [
      { dtype: 'uint8', shape: [...x.shape] },
      { dtype: 'float32', shape: [] },
      { dtype: 'uint8', shape: [] },
    ].slice(0, Math.max(1, context.outputCount)) as { dtype: DType; shape: Dim[] }[];
  },
};

export const QUANTIZED_OPS: readonly OpSchema[] = [QLinearMatMul, MatMulInteger, ConvInteger, QLinearConv, DynamicQuantizeLinear];
