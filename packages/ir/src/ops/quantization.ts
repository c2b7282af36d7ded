// QuantizeLinear / DequantizeLinear (opset 21): per-tensor (scalar scale), per-axis (1-D scale
// along `axis`) and blocked (scale of x's rank with ceil(dim / block_size) along `axis`)
// quantization; int8/uint8/int16/uint16/int4/uint4 (and int32 for DequantizeLinear).
// reference: https://onnx.ai/onnx/operators/onnx__QuantizeLinear.html, onnx__DequantizeLinear.html
import { type DType, dtypeFromOnnx } from '../dtype.js';
import type { InferenceContext, OpSchema } from '../op-schema.js';
import { ONNX_DOMAIN } from '../op-schema.js';
import { type Dim, formatShape, shapesEqual } from '../shape.js';
import { axisOf, dtypeError, input, intAttr, shapeError } from './infer-helpers.js';

const QUANTIZED_TYPES: readonly DType[] = ['int8', 'uint8', 'int16', 'uint16', 'int4', 'uint4'];
const DEQUANTIZE_INPUT_TYPES: readonly DType[] = [...QUANTIZED_TYPES, 'int32'];
const SCALE_TYPES: readonly DType[] = ['float32', 'float16', 'bfloat16'];

function checkBlocked(context: InferenceContext, x: readonly Dim[], scale: readonly Dim[], axis: number, blockSize: number): void {
  if (scale.length !== x.length) shapeError(context, `blocked scale ${formatShape(scale)} must have the rank of x ${formatShape(x)}`);
  scale.forEach((dim, position) => {
    const source = x[position] as Dim;
    if (typeof dim !== 'number' || typeof source !== 'number') return;
    const expected = position === axis ? Math.ceil(source / blockSize) : source;
    if (dim !== expected) {
      shapeError(context, `blocked scale ${formatShape(scale)} does not match x ${formatShape(x)} with block_size ${blockSize} on axis ${axis}`);
    }
  });
}

/** A scalar or a one-element vector (shape () or (1)). */
function isSingleElement(shape: readonly Dim[]): boolean {
  return shape.length <= 1 && shape.every((dim) => dim === 1);
}

/** Validates scale / zero-point shapes against x for the three granularities. */
function checkQuantizationParameters(context: InferenceContext): void {
  const x = input(context, 0).shape;
  const scale = input(context, 1).shape;
  const blockSize = intAttr(context, 'block_size');
  const isScalar = scale.length === 0 || (scale.length === 1 && scale[0] === 1 && blockSize === 0);
  if (blockSize < 0) shapeError(context, `block_size ${blockSize} must be >= 0`);
  if (!isScalar) {
    const axis = axisOf(context, intAttr(context, 'axis', 1), x.length);
    if (blockSize > 0) checkBlocked(context, x, scale, axis, blockSize);
    else {
      const dim = x[axis] as Dim;
      const length = scale[0] as Dim;
      if (scale.length !== 1 || (typeof dim === 'number' && typeof length === 'number' && dim !== length)) {
        shapeError(context, `per-axis scale ${formatShape(scale)} must be 1-D of length ${dim} (axis ${axis} of x ${formatShape(x)})`);
      }
    }
  }
  const zeroPoint = context.inputs[2];
  // A one-element zero point with a scalar scale (shape (1) vs ()) is accepted, as ONNX's reference does.
  const bothSingle = isSingleElement(scale) && zeroPoint !== undefined && isSingleElement(zeroPoint.shape);
  if (zeroPoint && !bothSingle && !shapesEqual(zeroPoint.shape, scale)) {
    shapeError(context, `zero point ${formatShape(zeroPoint.shape)} must have the scale's shape ${formatShape(scale)}`);
  }
}

function quantizedOutputType(context: InferenceContext): DType {
  const zeroPoint = context.inputs[2];
  const code = intAttr(context, 'output_dtype');
  let requested: DType | undefined;
  if (code !== 0) {
    try {
      requested = dtypeFromOnnx(code);
    } catch {
      dtypeError(context, `output_dtype ${code} is not a supported ONNX data type`);
    }
    if (!QUANTIZED_TYPES.includes(requested as DType)) dtypeError(context, `output_dtype ${requested} is not a quantized type`);
  }
  if (zeroPoint && requested && zeroPoint.dtype !== requested) {
    dtypeError(context, `zero point dtype ${zeroPoint.dtype} disagrees with output_dtype ${requested}`);
  }
  return zeroPoint?.dtype ?? requested ?? 'uint8';
}

const QuantizeLinear: OpSchema = {
  name: 'QuantizeLinear',
  domain: ONNX_DOMAIN,
  inputs: [
    { name: 'x', dtypes: [...SCALE_TYPES, 'int32'] },
    { name: 'y_scale', dtypes: [...SCALE_TYPES, 'int32'] },
    { name: 'y_zero_point', optional: true, dtypes: QUANTIZED_TYPES },
  ],
  outputs: [{ name: 'y' }],
  attrs: {
    axis: { type: 'int', default: 1 },
    block_size: { type: 'int', default: 0 },
    output_dtype: { type: 'int', default: 0 },
    saturate: { type: 'int', default: 1 },
  },
  differentiable: false,
  infer(context) {
    const x = input(context, 0);
    if (input(context, 1).dtype !== x.dtype) dtypeError(context, `y_scale dtype must match x (${x.dtype})`);
    checkQuantizationParameters(context);
    return [{ dtype: quantizedOutputType(context), shape: [...x.shape] }];
  },
};

const DequantizeLinear: OpSchema = {
  name: 'DequantizeLinear',
  domain: ONNX_DOMAIN,
  inputs: [
    { name: 'x', dtypes: DEQUANTIZE_INPUT_TYPES },
    { name: 'x_scale', dtypes: SCALE_TYPES },
    { name: 'x_zero_point', optional: true, dtypes: DEQUANTIZE_INPUT_TYPES },
  ],
  outputs: [{ name: 'y' }],
  attrs: { axis: { type: 'int', default: 1 }, block_size: { type: 'int', default: 0 } },
  differentiable: false,
  infer(context) {
    const x = input(context, 0);
    const zeroPoint = context.inputs[2];
    if (zeroPoint && zeroPoint.dtype !== x.dtype) dtypeError(context, `x_zero_point dtype ${zeroPoint.dtype} must match x (${x.dtype})`);
    checkQuantizationParameters(context);
    return [{ dtype: input(context, 1).dtype, shape: [...x.shape] }];
  },
};

export const QUANTIZATION_OPS: readonly OpSchema[] = [QuantizeLinear, DequantizeLinear];
