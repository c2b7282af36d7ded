// Symmetric per-output-channel linear quantization of a weight at any bit width b in [2, 8]:
// scale[c] = max|w[c]| / (2^(b−1) − 1), code = clamp(round_half_even(w / scale), ±(2^(b−1) − 1)).
// For b = 8 and 4 this is chooseQuantParamsPerChannel(int8 / int4, symmetric, narrowRange); b = 2
// keeps three levels {−s, 0, s}. Storage: ceil(count · b / 8) bytes of codes + 4 bytes per scale.
import { ConfigError, type TensorData, toNumberArray } from '@efficientdl/ir';
import { roundHalfToEven } from '../primitives/index.js';

export interface ChannelQuantized {
  bits: number;
  axis: number;
  /** Integer codes, row-major like the weight. */
  codes: Int32Array;
  /** One scale per slice along `axis`. */
  scales: Float32Array;
  /** codes · scale as float32. */
  dequantized: Float32Array;
}

export function checkWeightBits(bits: number, what: string): void {
  if (!(Number.isInteger(bits) && bits >= 2 && bits <= 8)) throw new ConfigError(`${what}: bits must be an integer in [2, 8], got ${bits}`, { bits });
}

/** Quantizes `weight` per slice along `axis` at `bits` bits (see the file header). */
export function quantizeWeightBits(weight: TensorData, options: { bits: number; axis: number }): ChannelQuantized {
  checkWeightBits(options.bits, 'quantizeWeightBits');
  const { bits, axis } = options;
  const values = toNumberArray(weight);
  // w: (outer, channels, inner)
  const channels = weight.shape[axis] as number;
  const inner = weight.shape.slice(axis + 1).reduce((product, dim) => product * dim, 1);
  const channelOf = (index: number) => Math.floor(index / inner) % channels;
  const bounds = new Float64Array(channels);
  values.forEach((value, index) => {
    const channel = channelOf(index);
    bounds[channel] = Math.max(bounds[channel] as number, Math.abs(value));
  });
  const top = 2 ** (bits - 1) - 1;
  const scales = Float32Array.from(bounds, (bound) => (bound === 0 ? 1 : bound / top));
  const codes = new Int32Array(values.length);
  const dequantized = new Float32Array(values.length);
  values.forEach((value, index) => {
    const scale = scales[channelOf(index)] as number;
    const code = Math.min(top, Math.max(-top, roundHalfToEven(Math.fround(value / scale))));
    codes[index] = code;
    dequantized[index] = code * scale;
  });
  return { bits, axis, codes, scales, dequantized };
}

/** Stored bytes of a weight of `count` values and `channels` scales at `bits` bits (32 = float32). */
export function weightBytes(options: { count: number; channels: number; bits: number }): number {
  if (options.bits >= 32) return options.count * 4;
  return Math.ceil((options.count * options.bits) / 8) + options.channels * 4;
}
