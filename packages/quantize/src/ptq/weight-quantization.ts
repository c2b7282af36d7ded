// Weights and biases of static quantization, as onnxruntime's quantize_static writes them:
// weights symmetric int8 in the narrow range [−127, 127] (per output channel or per tensor),
// biases int32 with scale = input_scale · weight_scale[channel] and zero point 0.
import { ConfigError, type TensorData, formatShape, tensorData } from '@efficientdl/ir';
import { type QuantParams, type TensorQuantParams, chooseQuantParams, chooseQuantParamsPerChannel } from '../primitives/choose-params.js';
import { roundHalfToEven } from '../primitives/quant-dtype.js';
import { quantizeTensor } from '../primitives/quantize-tensor.js';

export interface QuantizedWeight {
  readonly quantized: TensorData;
  readonly params: QuantParams | TensorQuantParams;
}

/** Output-channel axis of a compute node's weight: Conv (M, C/g, k…) → 0, Gemm transB ? (M, K) → 0 : (K, M) → 1, MatMul (…, K, M) → last. */
export function weightChannelAxis(op: string, weight: TensorData, attrs: { transB?: unknown }): number {
  if (op === 'Conv') return 0;
  if (op === 'Gemm') return attrs.transB === 1 ? 0 : 1;
  return weight.shape.length - 1;
}

/** Symmetric int8 weight: per channel along `axis`, or one scale for the tensor. */
export function quantizeWeight(weight: TensorData, options: { perChannel: boolean; axis: number }): QuantizedWeight {
  if (options.perChannel) {
    const params = chooseQuantParamsPerChannel({ tensor: weight, axis: options.axis, dtype: 'int8', symmetric: true, narrowRange: true });
    return { quantized: quantizeTensor(weight, params), params };
  }
  const values = weight.data as Float32Array;
  let min = 0;
  let max = 0;
  for (const value of values) {
    if (!Number.isFinite(value)) continue;
    if (value < min) min = value;
    if (value > max) max = value;
  }
  const params = chooseQuantParams({ min, max, dtype: 'int8', symmetric: true, narrowRange: true });
  return { quantized: quantizeTensor(weight, params), params };
}

/** Weight scales, one per output channel (a per-tensor scale repeated). */
export function channelScales(params: QuantParams | TensorQuantParams, channels: number): Float32Array {
  return 'scales' in params ? params.scales : new Float32Array(channels).fill(params.scale);
}

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/** int32 bias codes round(b / (xScale · wScale[c])) and their float32 scales. */
export function quantizeBias(bias: TensorData, inputScale: number, weightScales: Float32Array): { quantized: TensorData; scales: Float32Array } {
  const channels = weightScales.length;
  if (bias.shape.length !== 1 || bias.shape[0] !== channels) {
    throw new ConfigError(`bias ${formatShape(bias.shape)} must be (${channels}) to quantize per output channel`, { shape: [...bias.shape] });
  }
  const scales = new Float32Array(channels);
  const codes = new Int32Array(channels);
  for (let channel = 0; channel < channels; channel++) {
    const scale = Math.fround(inputScale * (weightScales[channel] as number));
    scales[channel] = scale;
    const code = roundHalfToEven(Math.fround((bias.data[channel] as number) / scale));
    codes[channel] = Number.isNaN(code) ? 0 : Math.min(INT32_MAX, Math.max(INT32_MIN, code));
  }
  return { quantized: tensorData('int32', [channels], codes), scales };
}
