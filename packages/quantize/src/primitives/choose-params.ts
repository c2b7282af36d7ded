// Scale and zero point from a real range [min, max], as onnxruntime's quantization tool computes
// them: the range is widened to include 0 (so 0 is exact), then
//   asymmetric: scale = (max − min) / (qmax − qmin), zeroPoint = round(qmin − min / scale)
//   symmetric:  r = max(|min|, |max|), the range becomes [−r, r]; signed dtypes get zeroPoint 0,
//               unsigned ones the middle code (128 for uint8).
// Scales are float32 (as stored in ONNX). A zero-width range (an all-zero tensor) gets scale 1,
// so every consumer still divides by a sane non-zero number. Per-channel and per-group variants
// reduce a tensor along an axis (per channel) or along blocks of `groupSize` on an axis (ONNX
// blocked quantization: scale shape = x shape with dim[axis] → ceil(dim[axis] / groupSize)).
// reference: https://onnx.ai/onnx/operators/onnx__QuantizeLinear.html
import { ConfigError, type TensorData, formatShape, normalizeAxis, shapeSize } from '@efficientdl/ir';
import { type QuantDType, isSignedQuantDType, quantRange, quantizeValue } from './quant-dtype.js';

export interface ChooseQuantParamsOptions {
  min: number;
  max: number;
  dtype: QuantDType;
  symmetric: boolean;
  /** Signed dtypes only: use [−127, 127] (int8) / [−7, 7] (int4). Default false. */
  narrowRange?: boolean;
}

/** Per-tensor parameters: q = saturate(round(x / scale) + zeroPoint). */
export interface QuantParams {
  readonly scale: number;
  readonly zeroPoint: number;
  readonly dtype: QuantDType;
}

/** Per-channel (axis) or per-group (axis + groupSize) parameters, in row-major order of `shape`. */
export interface TensorQuantParams {
  readonly dtype: QuantDType;
  readonly axis: number;
  /** Block length along `axis` (per-group); absent for per-channel. */
  readonly groupSize?: number;
  /** Shape of the scale / zero-point tensors: (dim[axis]) per channel, x shape with blocks per group. */
  readonly shape: readonly number[];
  readonly scales: Float32Array;
  readonly zeroPoints: Int32Array;
}

/** One scale and zero point for the range [min, max] (NaN / infinite bounds are a ConfigError). */
export function chooseQuantParams(options: ChooseQuantParamsOptions): QuantParams {
  const { dtype, symmetric } = options;
  if (!Number.isFinite(options.min) || !Number.isFinite(options.max) || options.min > options.max) {
    throw new ConfigError(`chooseQuantParams: range [${options.min}, ${options.max}] must be finite with min ≤ max`, { min: options.min, max: options.max });
  }
  const [qmin, qmax] = quantRange(dtype, options.narrowRange ?? false);
  let low = Math.min(options.min, 0);
  let high = Math.max(options.max, 0);
  if (symmetric) {
    const bound = Math.max(-low, high);
    low = -bound;
    high = bound;
  }
  if (high - low === 0) return { scale: 1, zeroPoint: symmetric ? symmetricZeroPoint(dtype, qmin, qmax) : qmin, dtype };
  const scale = Math.fround((high - low) / (qmax - qmin));
  if (symmetric) return { scale, zeroPoint: symmetricZeroPoint(dtype, qmin, qmax), dtype };
  return { scale, zeroPoint: quantizeValue(qmin - low / scale, 0, qmin, qmax), dtype };
}

function symmetricZeroPoint(dtype: QuantDType, qmin: number, qmax: number): number {
  if (isSignedQuantDType(dtype)) return 0;
  return quantizeValue((qmin + qmax) / 2, 0, qmin, qmax);
}

export interface PerChannelOptions extends Omit<ChooseQuantParamsOptions, 'min' | 'max'> {
  tensor: TensorData;
  /** Channel axis (0 for Conv weights (M, C, k…)); negative counts from the end. */
  axis: number;
}

export interface PerGroupOptions extends PerChannelOptions {
  /** Elements per block along `axis` (the last block may be shorter). */
  groupSize: number;
}

/** Min / max of every slice along `axis` (per channel), ignoring NaN and ±Infinity. */
function reduceRanges(tensor: TensorData, axis: number, groupSize: number): { min: Float64Array; max: Float64Array; shape: number[] } {
  const values = tensor.data;
  if (!(values instanceof Float32Array || values instanceof Float64Array)) {
    throw new ConfigError(`choosing quantization parameters needs a float32/float64 tensor, got ${tensor.dtype}`, { dtype: tensor.dtype });
  }
  // x: (outer, dim, inner); parameters: (outer, blocks, inner) for groups, (dim) per channel
  const dim = tensor.shape[axis] as number;
  const outer = shapeSize(tensor.shape.slice(0, axis));
  const inner = shapeSize(tensor.shape.slice(axis + 1));
  const perGroup = groupSize > 0;
  const blocks = perGroup ? Math.ceil(dim / groupSize) : dim;
  const shape = perGroup ? tensor.shape.map((size, index) => (index === axis ? blocks : size)) : [dim];
  const count = perGroup ? outer * blocks * inner : dim;
  const min = new Float64Array(count).fill(Number.POSITIVE_INFINITY);
  const max = new Float64Array(count).fill(Number.NEGATIVE_INFINITY);
  for (let row = 0; row < outer; row++) {
    for (let d = 0; d < dim; d++) {
      const base = (row * dim + d) * inner;
      for (let i = 0; i < inner; i++) {
        const value = values[base + i] as number;
        if (!Number.isFinite(value)) continue;
        const target = perGroup ? (row * blocks + Math.floor(d / groupSize)) * inner + i : d;
        if (value < (min[target] as number)) min[target] = value;
        if (value > (max[target] as number)) max[target] = value;
      }
    }
  }
  return { min, max, shape };
}

function paramsFromRanges(ranges: { min: Float64Array; max: Float64Array }, options: Omit<ChooseQuantParamsOptions, 'min' | 'max'>) {
  const scales = new Float32Array(ranges.min.length);
  const zeroPoints = new Int32Array(ranges.min.length);
  for (let index = 0; index < scales.length; index++) {
    const min = ranges.min[index] as number;
    const max = ranges.max[index] as number;
    // a slice with no finite values quantizes as all zeros
    const finite = min <= max;
    const params = chooseQuantParams({ ...options, min: finite ? min : 0, max: finite ? max : 0 });
    scales[index] = params.scale;
    zeroPoints[index] = params.zeroPoint;
  }
  return { scales, zeroPoints };
}

/** One scale / zero point per slice along `axis` (e.g. per output channel of a weight). */
export function chooseQuantParamsPerChannel(options: PerChannelOptions): TensorQuantParams {
  const axis = normalizeAxis(options.axis, options.tensor.shape.length);
  const ranges = reduceRanges(options.tensor, axis, 0);
  return { dtype: options.dtype, axis, shape: ranges.shape, ...paramsFromRanges(ranges, options) };
}

/** One scale / zero point per block of `groupSize` consecutive elements along `axis`. */
export function chooseQuantParamsPerGroup(options: PerGroupOptions): TensorQuantParams {
  const axis = normalizeAxis(options.axis, options.tensor.shape.length);
  if (!Number.isInteger(options.groupSize) || options.groupSize < 1) {
    throw new ConfigError(`groupSize must be a positive integer, got ${options.groupSize} (tensor ${formatShape(options.tensor.shape)})`, {
      groupSize: options.groupSize,
    });
  }
  const ranges = reduceRanges(options.tensor, axis, options.groupSize);
  return { dtype: options.dtype, axis, groupSize: options.groupSize, shape: ranges.shape, ...paramsFromRanges(ranges, options) };
}
