// Quantized integer dtypes and their ranges, plus ONNX QuantizeLinear rounding: round half to
// even, then saturate into [qmin, qmax]. narrowRange drops the lowest code of a signed dtype
// (int8 → [-127, 127]) so that a symmetric range maps onto codes symmetric around 0.
// reference: https://onnx.ai/onnx/operators/onnx__QuantizeLinear.html
import { ConfigError } from '@efficientdl/ir';

export type QuantDType = 'int8' | 'uint8' | 'int4' | 'uint4';

export const QUANT_DTYPES: readonly QuantDType[] = ['int8', 'uint8', 'int4', 'uint4'];

export function isQuantDType(value: unknown): value is QuantDType {
  return typeof value === 'string' && (QUANT_DTYPES as readonly string[]).includes(value);
}

export function isSignedQuantDType(dtype: QuantDType): boolean {
  return dtype === 'int8' || dtype === 'int4';
}

/** Inclusive code range [qmin, qmax] of `dtype`; narrowRange raises qmin of signed dtypes by one. */
export function quantRange(dtype: QuantDType, narrowRange = false): [number, number] {
  switch (dtype) {
    case 'int8':
      return [narrowRange ? -127 : -128, 127];
    case 'uint8':
      return [0, 255];
    case 'int4':
      return [narrowRange ? -7 : -8, 7];
    case 'uint4':
      return [0, 15];
    default:
      throw new ConfigError(`unknown quantized dtype '${String(dtype)}' (choose one of int8, uint8, int4, uint4)`, { dtype });
  }
}

// 1.5 · 2^52: adding and subtracting it rounds a double to an integer with ties to even.
const ROUNDING_MAGIC = 6755399441055744;
const ROUNDING_LIMIT = 2 ** 50;

/** Round half to even (banker's rounding), exact for every double. */
export function roundHalfToEven(value: number): number {
  if (!(Math.abs(value) < ROUNDING_LIMIT)) return value; // large, infinite or NaN: already integral
  return value + ROUNDING_MAGIC - ROUNDING_MAGIC;
}

/** saturate(round_half_even(scaled) + zeroPoint) into [low, high]; NaN maps to 0 like the CPU reference kernel. */
export function quantizeValue(scaled: number, zeroPoint: number, low: number, high: number): number {
  const quantized = roundHalfToEven(scaled) + zeroPoint;
  if (Number.isNaN(quantized)) return 0;
  return quantized < low ? low : quantized > high ? high : quantized;
}
