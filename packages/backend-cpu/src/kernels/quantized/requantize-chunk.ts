// Requantization of QLinearConv's int32 accumulations into its 8-bit output:
// y = saturate(round_half_to_even((acc + bias[m]) · multiplier[m]) + y_zero_point), with the
// (M, images·P) chunk layout of integer-conv-fast.ts written to y: (N, M, P). Rounding adds and
// subtracts 1.5·2^52, which rounds a double to an integer with ties to even (|value| < 2^51).
// reference: https://onnx.ai/onnx/operators/onnx__QLinearConv.html

export interface RequantizeChunk {
  /** (channels, images·positions) int32 sums. */
  readonly accumulators: Int32Array;
  readonly firstImage: number;
  readonly images: number;
  readonly positions: number;
  readonly channels: number;
  readonly multipliers: Float64Array;
  readonly biases: Float64Array;
  readonly zeroPoint: number;
  /** y: (N, channels, positions), uint8 or int8. */
  readonly out: Int8Array | Uint8Array;
  /** accumulators are (images, channels) with positions = 1 (a fully connected layer). */
  readonly imagesMajor?: boolean;
}

/** (images, channels) accumulations of a fully connected layer, one output element each. */
function requantizeRows(chunk: RequantizeChunk): void {
  const { images, channels, zeroPoint, multipliers, biases, firstImage, accumulators, out } = chunk;
  const shift = out instanceof Int8Array ? 128 : 0;
  for (let image = 0; image < images; image++) {
    const base = image * channels;
    const target = (firstImage + image) * channels;
    for (let channel = 0; channel < channels; channel++) {
      let value = ((accumulators[base + channel] as number) + (biases[channel] as number)) * (multipliers[channel] as number);
      value = value > SAFE ? SAFE : value < -SAFE ? -SAFE : value + ROUNDING_MAGIC - ROUNDING_MAGIC;
      value += zeroPoint + shift;
      out[target + channel] = (value < 0 ? 0 : value > 255 ? 255 : value) - shift;
    }
  }
}

const ROUNDING_MAGIC = 6755399441055744;
const SAFE = 2 ** 50;

export function requantizeChunk(chunk: RequantizeChunk): void {
  if (chunk.imagesMajor) {
    requantizeRows(chunk);
    return;
  }
  const { images, positions, channels, zeroPoint, multipliers, biases, firstImage, accumulators } = chunk;
  // int8 outputs are computed shifted by +128 into [0, 255] and shifted back when stored
  const signed = chunk.out instanceof Int8Array;
  const shift = signed ? 128 : 0;
  for (let channel = 0; channel < channels; channel++) {
    const multiplier = multipliers[channel] as number;
    const bias = biases[channel] as number;
    // |(acc + bias) · multiplier| + |zero point| stays inside int32, so `| 0` cannot wrap
    const fitsInt32 = Math.abs(multiplier) * (2 ** 31 + Math.abs(bias)) + Math.abs(zeroPoint) + shift < 2 ** 30;
    for (let image = 0; image < images; image++) {
      // a plain literal: an object spread here makes V8 run the inner loop several times slower
      const run: RunLayout = {
        source: (channel * images + image) * positions,
        target: ((firstImage + image) * channels + channel) * positions,
        positions,
        bias,
        multiplier,
        offset: zeroPoint + shift,
        shift,
      };
      if (fitsInt32) requantizeRun(accumulators, chunk.out, run);
      else requantizeRunChecked(accumulators, chunk.out, run);
    }
  }
}

interface RunLayout {
  readonly source: number;
  readonly target: number;
  readonly positions: number;
  readonly bias: number;
  readonly multiplier: number;
  /** zero point (+128 for int8) */
  readonly offset: number;
  readonly shift: number;
}

/** Branch-free: round, then clamp to [0, 255] with sign-bit masks (activations are unpredictable). */
function requantizeRun(accumulators: Int32Array, out: Int8Array | Uint8Array, run: RunLayout): void {
  const { source, target, positions, bias, multiplier, offset, shift } = run;
  for (let index = 0; index < positions; index++) {
    let value = (((accumulators[source + index] as number) + bias) * multiplier + ROUNDING_MAGIC - ROUNDING_MAGIC + offset) | 0;
    value &= ~(value >> 31); // < 0 → 0
    value = (value | ((255 - value) >> 31)) & 255; // > 255 → 255
    out[target + index] = value - shift;
  }
}

/** Large multipliers: saturate in floating point first. */
function requantizeRunChecked(accumulators: Int32Array, out: Int8Array | Uint8Array, run: RunLayout): void {
  const { source, target, positions, bias, multiplier, offset, shift } = run;
  for (let index = 0; index < positions; index++) {
    let value = ((accumulators[source + index] as number) + bias) * multiplier;
    value = value > SAFE ? SAFE : value < -SAFE ? -SAFE : value + ROUNDING_MAGIC - ROUNDING_MAGIC;
    value += offset;
    out[target + index] = (value < 0 ? 0 : value > 255 ? 255 : value) - shift;
  }
}
