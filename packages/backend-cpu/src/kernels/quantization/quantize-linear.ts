// QuantizeLinear(x, y_scale, y_zero_point?) → y = saturate(round_half_even(x / y_scale) + y_zero_point)
// and DequantizeLinear(x, x_scale, x_zero_point?) → y = (x − x_zero_point) · x_scale.
// Per-tensor, per-axis (axis) and blocked (block_size) parameters; int8/uint8/int16/uint16/
// int4/uint4 outputs (zero point dtype, else output_dtype, else uint8); int32 input for dequantize.
// Per-tensor float32 ↔ uint8 / int8 runs quantize-per-tensor.ts's loops; the generic loops here
// are their oracle (quantizeLinearReference / dequantizeLinearReference).
// reference: https://onnx.ai/onnx/operators/onnx__QuantizeLinear.html, https://onnx.ai/onnx/operators/onnx__DequantizeLinear.html
import {
  type Attributes,
  type DType,
  type TensorData,
  dtypeFromOnnx,
  fromNumbers,
  integerRange,
  shapeSize,
  toNumberArray,
} from '@efficientdl/ir';
import { type Kernel, type KernelContext, type KernelDefinition, defineKernel } from '../../kernel-registry.js';
import { FLOAT_DTYPES, checkDType, dtypeError, requireInput } from '../elementwise/kernel-support.js';
import { checkZeroPointShape, parameterIndices, roundHalfToEven } from './quantization-params.js';
import { dequantizePerTensor, quantizePerTensor } from './quantize-per-tensor.js';

const QUANTIZED_DTYPES: readonly DType[] = ['int8', 'uint8', 'int16', 'uint16', 'int4', 'uint4'];

function quantizedDType(zeroPoint: TensorData | undefined, attrs: Attributes, context: KernelContext): DType {
  const outputDType = (attrs.output_dtype as number | undefined) ?? 0;
  const dtype = zeroPoint?.dtype ?? (outputDType !== 0 ? dtypeFromOnnx(outputDType) : 'uint8');
  if (zeroPoint && outputDType !== 0 && dtypeFromOnnx(outputDType) !== zeroPoint.dtype) {
    throw dtypeError(context, `output_dtype ${dtypeFromOnnx(outputDType)} disagrees with zero point dtype ${zeroPoint.dtype}`);
  }
  if (!QUANTIZED_DTYPES.includes(dtype)) throw dtypeError(context, `cannot quantize to ${dtype}`, { dtype });
  return dtype;
}

function layoutAttrs(attrs: Attributes): { axis: number; blockSize: number } {
  return { axis: (attrs.axis as number | undefined) ?? 1, blockSize: (attrs.block_size as number | undefined) ?? 0 };
}

/** One scale for the whole tensor, without block_size (the case the fast paths take). */
function isPerTensor(scale: TensorData, attrs: Attributes): boolean {
  return layoutAttrs(attrs).blockSize === 0 && shapeSize(scale.shape) === 1;
}

const quantizeKernel: Kernel = (inputs, attrs, context) => {
  const x = requireInput(inputs, 0, context);
  const scale = requireInput(inputs, 1, context);
  const zeroPoint = inputs[2];
  checkDType(x, [...FLOAT_DTYPES, 'int32'], context, 'x');
  checkDType(scale, [...FLOAT_DTYPES, 'int32'], context, 'y_scale');
  checkZeroPointShape(scale, zeroPoint, context);
  const dtype = quantizedDType(zeroPoint, attrs, context);
  const fast = isPerTensor(scale, attrs) ? quantizePerTensor(x, scale, zeroPoint, dtype) : undefined;
  return fast ? [fast] : quantizeLinearReference(inputs, attrs, context);
};

/** QuantizeLinear on the generic loop (any layout and dtype; the fast path's oracle). */
export const quantizeLinearReference: Kernel = (inputs, attrs, context) => {
  const x = requireInput(inputs, 0, context);
  const scale = requireInput(inputs, 1, context);
  const zeroPoint = inputs[2];
  checkDType(x, [...FLOAT_DTYPES, 'int32'], context, 'x');
  checkDType(scale, [...FLOAT_DTYPES, 'int32'], context, 'y_scale');
  checkZeroPointShape(scale, zeroPoint, context);
  const dtype = quantizedDType(zeroPoint, attrs, context);
  const [low, high] = integerRange(dtype);
  const indices = parameterIndices(x, scale, layoutAttrs(attrs), context);
  const values = toNumberArray(x);
  const scales = toNumberArray(scale);
  const zeros = zeroPoint ? toNumberArray(zeroPoint) : new Float64Array(scales.length);
  // float32 scales divide in float32, as the ONNX reference does.
  const single = x.dtype === 'float32' || scale.dtype === 'float32' ? Math.fround : (value: number) => value;
  const out = new Float64Array(values.length);
  for (let index = 0; index < values.length; index++) {
    const parameter = indices[index] as number;
    const scaled = single((values[index] as number) / (scales[parameter] as number));
    const quantized = roundHalfToEven(scaled) + (zeros[parameter] as number);
    out[index] = Number.isNaN(quantized) ? 0 : Math.min(high, Math.max(low, quantized));
  }
  return [fromNumbers(dtype, x.shape, out)];
};

const dequantizeKernel: Kernel = (inputs, attrs, context) => {
  const x = requireInput(inputs, 0, context);
  const scale = requireInput(inputs, 1, context);
  const zeroPoint = inputs[2];
  checkDType(x, [...QUANTIZED_DTYPES, 'int32'], context, 'x');
  checkDType(scale, FLOAT_DTYPES, context, 'x_scale');
  if (zeroPoint && zeroPoint.dtype !== x.dtype) throw dtypeError(context, `zero point dtype ${zeroPoint.dtype} must equal x dtype ${x.dtype}`);
  checkZeroPointShape(scale, zeroPoint, context);
  const fast = isPerTensor(scale, attrs) ? dequantizePerTensor(x, scale, zeroPoint) : undefined;
  return fast ? [fast] : dequantizeLinearReference(inputs, attrs, context);
};

/** DequantizeLinear on the generic loop (the fast path's oracle). */
export const dequantizeLinearReference: Kernel = (inputs, attrs, context) => {
  const x = requireInput(inputs, 0, context);
  const scale = requireInput(inputs, 1, context);
  const zeroPoint = inputs[2];
  checkDType(x, [...QUANTIZED_DTYPES, 'int32'], context, 'x');
  checkDType(scale, FLOAT_DTYPES, context, 'x_scale');
  if (zeroPoint && zeroPoint.dtype !== x.dtype) throw dtypeError(context, `zero point dtype ${zeroPoint.dtype} must equal x dtype ${x.dtype}`);
  checkZeroPointShape(scale, zeroPoint, context);
  const indices = parameterIndices(x, scale, layoutAttrs(attrs), context);
  const values = toNumberArray(x);
  const scales = toNumberArray(scale);
  const zeros = zeroPoint ? toNumberArray(zeroPoint) : new Float64Array(scales.length);
  const out = new Float64Array(shapeSize(x.shape));
  for (let index = 0; index < out.length; index++) {
    const parameter = indices[index] as number;
    out[index] = ((values[index] as number) - (zeros[parameter] as number)) * (scales[parameter] as number);
  }
  return [fromNumbers(scale.dtype, x.shape, out)];
};

export const QUANTIZE_LINEAR_KERNELS: readonly KernelDefinition[] = [
  defineKernel({ op: 'QuantizeLinear', kernel: quantizeKernel }),
  defineKernel({ op: 'DequantizeLinear', kernel: dequantizeKernel }),
];
