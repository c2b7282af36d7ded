// Shared pieces of the integer / quantized-linear kernels: zero-point subtraction to exact
// integers (held in float64, exact far beyond int32 accumulation range), per-tensor or per-index
// scale / zero-point lookup, scale arithmetic in the scale's own precision, and requantization
// y = saturate(round_half_to_even(value) + zero_point).
// reference: https://onnx.ai/onnx/operators/onnx__QLinearMatMul.html (quantization formula)
import { type DType, type TensorData, integerRange, numberToFloat16, shapeSize, toNumberArray, float16ToNumber } from '@efficientdl/ir';
import type { KernelContext } from '../../kernel-registry.js';
import { checkDType, dtypeError, shapeError } from '../elementwise/kernel-support.js';
import { roundHalfToEven } from '../quantization/quantization-params.js';

export const INT8_DTYPES: readonly DType[] = ['int8', 'uint8'];

/** A per-tensor (one element) or per-index (`length` elements) parameter, read as numbers. */
export interface Parameter {
  readonly values: Float64Array;
  at(index: number): number;
}

export function readParameter(tensor: TensorData | undefined, length: number, context: KernelContext, role: string): Parameter {
  const values = tensor ? toNumberArray(tensor) : new Float64Array([0]);
  const count = tensor ? shapeSize(tensor.shape) : 1;
  if (count !== 1 && count !== length) throw shapeError(context, `${role} must hold 1 or ${length} values, got ${count}`);
  return { values, at: count === 1 ? () => values[0] as number : (index) => values[index] as number };
}

/** Checks that a quantized input is int8/uint8 and that its zero point has the same dtype. */
export function checkQuantized(tensor: TensorData, zeroPoint: TensorData | undefined, context: KernelContext, role: string): void {
  checkDType(tensor, INT8_DTYPES, context, role);
  if (zeroPoint && zeroPoint.dtype !== tensor.dtype) {
    throw dtypeError(context, `${role} zero point dtype ${zeroPoint.dtype} must equal ${role} dtype ${tensor.dtype}`);
  }
}

/** Integer values of a quantized input (checked as in checkQuantized). */
export function quantizedValues(tensor: TensorData, zeroPoint: TensorData | undefined, context: KernelContext, role: string): Float64Array {
  checkQuantized(tensor, zeroPoint, context, role);
  return toNumberArray(tensor);
}

/** Rounds a scale product the way the scale dtype would store it (float32 / float16 steps). */
export function scaleRounding(dtype: DType): (value: number) => number {
  if (dtype === 'float32') return Math.fround;
  if (dtype === 'float16') return (value) => float16ToNumber(numberToFloat16(value));
  return (value) => value;
}

/** saturate(round_half_to_even(value) + zeroPoint) into the range of `dtype`. */
export function requantize(value: number, zeroPoint: number, dtype: DType): number {
  const [low, high] = integerRange(dtype);
  const quantized = roundHalfToEven(value) + zeroPoint;
  return Number.isNaN(quantized) ? zeroPoint : Math.min(high, Math.max(low, quantized));
}
