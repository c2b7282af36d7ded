// Fast paths of QuantizeLinear / DequantizeLinear for the quantized graphs' hot case: one
// (per-tensor) scale and zero point, float32 ↔ uint8 / int8. Same arithmetic as the generic
// loops in quantize-linear.ts (their oracle): x / scale divided in float32 (a double division
// rounded to float32 is the correctly rounded float32 quotient), round half to even (adding and
// subtracting 1.5·2^52 rounds a double to an integer, ties to even, for |value| < 2^51), plus
// the zero point, saturated; NaN becomes 0.
// reference: https://onnx.ai/onnx/operators/onnx__QuantizeLinear.html, https://onnx.ai/onnx/operators/onnx__DequantizeLinear.html
import { type TensorData, shapeSize, tensorData } from '@efficientdl/ir';

const ROUNDING_MAGIC = 6755399441055744; // 1.5 · 2^52

type ByteArray = Uint8Array | Int8Array;

function perTensorValue(parameter: TensorData | undefined): number | undefined {
  if (!parameter) return 0;
  return shapeSize(parameter.shape) === 1 ? (parameter.data[0] as number) : undefined;
}

/** y = saturate(round_half_even(fround(x / scale)) + zeroPoint) into uint8 / int8, or undefined when the fast path does not apply. */
export function quantizePerTensor(x: TensorData, scale: TensorData, zeroPoint: TensorData | undefined, dtype: string): TensorData | undefined {
  if (x.dtype !== 'float32' || scale.dtype !== 'float32' || (dtype !== 'uint8' && dtype !== 'int8')) return undefined;
  const divisor = perTensorValue(scale);
  const zero = perTensorValue(zeroPoint);
  if (divisor === undefined || zero === undefined) return undefined;
  const out = tensorData(dtype, x.shape);
  const [low, high] = dtype === 'uint8' ? [0, 255] : [-128, 127];
  quantizeLoop({ values: x.data as Float32Array, out: out.data as ByteArray, divisor, zero, low, high });
  return out;
}

interface QuantizeLoop {
  readonly values: Float32Array;
  readonly out: ByteArray;
  readonly divisor: number;
  readonly zero: number;
  readonly low: number;
  readonly high: number;
}

function quantizeLoop(loop: QuantizeLoop): void {
  const { values, out, divisor, zero } = loop;
  // clamping before rounding equals clamping after it: the bounds are integers
  const [low, high] = [loop.low - zero, loop.high - zero];
  for (let index = 0; index < values.length; index++) {
    const scaled = Math.fround((values[index] as number) / divisor);
    // NaN fails both tests, stays NaN through the rounding and `| 0` makes it 0
    const clamped = scaled < low ? low : scaled > high ? high : scaled;
    out[index] = (clamped + ROUNDING_MAGIC - ROUNDING_MAGIC + zero) | 0;
  }
}

/** y = (x − zeroPoint) · scale from uint8 / int8 into float32, or undefined when the fast path does not apply. */
export function dequantizePerTensor(x: TensorData, scale: TensorData, zeroPoint: TensorData | undefined): TensorData | undefined {
  if ((x.dtype !== 'uint8' && x.dtype !== 'int8') || scale.dtype !== 'float32') return undefined;
  const factor = perTensorValue(scale);
  const zero = perTensorValue(zeroPoint);
  if (factor === undefined || zero === undefined) return undefined;
  const values = x.data as ByteArray;
  const out = new Float32Array(values.length);
  for (let index = 0; index < values.length; index++) out[index] = ((values[index] as number) - zero) * factor;
  return tensorData('float32', x.shape, out);
}
