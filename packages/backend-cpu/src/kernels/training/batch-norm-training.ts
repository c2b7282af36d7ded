// BatchNormTraining and BatchNormTrainingGrad (ai.efficientdl): batch normalization with batch
// statistics over every axis but the channel axis 1, fused into two passes forward and two
// backward (instead of ~8 full-size elementwise ops and reductions each way). Large tensors run
// on the WebAssembly SIMD kernels (src/wasm/wasm-batch-norm-train.ts, channels shared by the
// threads); the loops below are the fallback and the kernels' oracle. Statistics are accumulated
// in doubles; outputs are float32.
// reference: https://onnx.ai/onnx/operators/onnx__BatchNormalization.html (training_mode semantics)
import { type Attributes, type TensorData, formatShape } from '@efficientdl/ir';
import type { KernelContext } from '../../kernel-registry.js';
import { requireInput, shapeError } from '../linear/kernel-helpers.js';
import { wasmBatchNormBackward, wasmBatchNormForward } from '../../wasm/wasm-batch-norm-train.js';
import { float32Data, requireGradientShape } from './training-helpers.js';

/** Elements from which the WebAssembly kernels (copies in and out included) beat the loops below. */
const WASM_MIN_ELEMENTS = 8192;

interface ChannelLayout {
  /** X viewed as (batch, channels, inner). */
  readonly batch: number;
  readonly channels: number;
  readonly inner: number;
}

function channelLayout(x: TensorData, channelInputs: readonly TensorData[], context: KernelContext): ChannelLayout {
  if (x.shape.length < 2) throw shapeError(context, `X must be (N, C, …), got ${formatShape(x.shape)}`, [x.shape]);
  const channels = x.shape[1] as number;
  for (const tensor of channelInputs) {
    if (tensor.shape.length !== 1 || tensor.shape[0] !== channels) {
      throw shapeError(context, `per-channel inputs must be (${channels}), got ${formatShape(tensor.shape)} for X ${formatShape(x.shape)}`, [tensor.shape, x.shape]);
    }
  }
  const inner = x.shape.slice(2).reduce((product, dim) => product * dim, 1);
  return { batch: x.shape[0] as number, channels, inner };
}

function epsilonOf(attrs: Attributes): number {
  return typeof attrs.epsilon === 'number' ? attrs.epsilon : 1e-5;
}

/** Σ x[start..end) in doubles, with two independent accumulators (shorter add dependency chain). */
function sumRange(x: Float32Array, start: number, end: number): number {
  let even = 0;
  let odd = 0;
  let index = start;
  for (; index + 1 < end; index += 2) {
    even += x[index] as number;
    odd += x[index + 1] as number;
  }
  if (index < end) even += x[index] as number;
  return even + odd;
}

/** Σ (x − center)² over x[start..end) in doubles, two accumulators. */
function squaredDeviationRange(x: Float32Array, start: number, end: number, center: number): number {
  let even = 0;
  let odd = 0;
  let index = start;
  for (; index + 1 < end; index += 2) {
    const first = (x[index] as number) - center;
    const second = (x[index + 1] as number) - center;
    even += first * first;
    odd += second * second;
  }
  if (index < end) {
    const last = (x[index] as number) - center;
    even += last * last;
  }
  return even + odd;
}

// The hot loops live in small functions so V8 optimizes them whole (not by on-stack replacement).

/** target[i] = source[i]·gain + shift for i in [start, end). */
function affineRange(range: { source: Float32Array; target: Float32Array; start: number; end: number }, gain: number, shift: number): void {
  const { source, target, end } = range;
  for (let index = range.start; index < end; index++) target[index] = (source[index] as number) * gain + shift;
}

/** dx[i] = gain·dy[i] + xFactor·x[i] + offset for i in [start, end). */
function inputGradientRange(
  range: { dy: Float32Array; x: Float32Array; dx: Float32Array; start: number; end: number },
  gain: number,
  xFactor: number,
  offset: number,
): void {
  const { dy, x, dx, end } = range;
  for (let index = range.start; index < end; index++) dx[index] = gain * (dy[index] as number) + xFactor * (x[index] as number) + offset;
}

/** One pass over a channel: [Σ dY, Σ dY·(X − center)] in doubles. */
function channelGradientSums(dy: Float32Array, x: Float32Array, layout: ChannelLayout, channel: number, center: number): [number, number] {
  const { batch, channels, inner } = layout;
  // Two accumulators per sum (even/odd elements) shorten the floating-point add chains.
  let [sumEven, sumOdd, centeredEven, centeredOdd] = [0, 0, 0, 0];
  for (let sample = 0; sample < batch; sample++) {
    const base = (sample * channels + channel) * inner;
    const end = base + inner;
    let index = base;
    for (; index + 1 < end; index += 2) {
      const even = dy[index] as number;
      const odd = dy[index + 1] as number;
      sumEven += even;
      sumOdd += odd;
      centeredEven += even * ((x[index] as number) - center);
      centeredOdd += odd * ((x[index + 1] as number) - center);
    }
    if (index < end) {
      sumEven += dy[index] as number;
      centeredEven += (dy[index] as number) * ((x[index] as number) - center);
    }
  }
  return [sumEven + sumOdd, centeredEven + centeredOdd];
}

/** Per-channel mean and biased variance (two-pass, in doubles). */
function channelStatistics(x: Float32Array, layout: ChannelLayout): { mean: Float64Array; variance: Float64Array } {
  const { batch, channels, inner } = layout;
  const count = batch * inner;
  const mean = new Float64Array(channels);
  const variance = new Float64Array(channels);
  for (let channel = 0; channel < channels; channel++) {
    let sum = 0;
    for (let sample = 0; sample < batch; sample++) {
      const base = (sample * channels + channel) * inner;
      sum += sumRange(x, base, base + inner);
    }
    const average = sum / count;
    let squares = 0;
    for (let sample = 0; sample < batch; sample++) {
      const base = (sample * channels + channel) * inner;
      squares += squaredDeviationRange(x, base, base + inner, average);
    }
    mean[channel] = average;
    variance[channel] = squares / count;
  }
  return { mean, variance };
}

export function batchNormTrainingKernel(inputs: readonly (TensorData | undefined)[], attrs: Attributes, context: KernelContext): TensorData[] {
  // x: (N, C, D1, …), scale, bias: (C) → y: x's shape, batch mean and biased variance: (C)
  const x = requireInput(inputs, 0, context, 'X');
  const scale = requireInput(inputs, 1, context, 'scale');
  const bias = requireInput(inputs, 2, context, 'B');
  const xData = float32Data(x, context, 'X');
  const scaleData = float32Data(scale, context, 'scale');
  const biasData = float32Data(bias, context, 'B');
  const layout = channelLayout(x, [scale, bias], context);
  const { batch, channels, inner } = layout;
  const epsilon = epsilonOf(attrs);
  const y = new Float32Array(xData.length);
  const results = { y, mean: new Float32Array(channels), variance: new Float32Array(channels) };
  if (xData.length >= WASM_MIN_ELEMENTS && wasmBatchNormForward(layout, { x: xData, scale: scaleData, bias: biasData, epsilon }, results)) {
    return [
      { dtype: 'float32', shape: [...x.shape], data: y },
      { dtype: 'float32', shape: [channels], data: results.mean },
      { dtype: 'float32', shape: [channels], data: results.variance },
    ];
  }
  const { mean, variance } = channelStatistics(xData, layout);
  for (let channel = 0; channel < channels; channel++) {
    const gain = (scaleData[channel] as number) / Math.sqrt((variance[channel] as number) + epsilon);
    const shift = (biasData[channel] as number) - (mean[channel] as number) * gain;
    for (let sample = 0; sample < batch; sample++) {
      const base = (sample * channels + channel) * inner;
      affineRange({ source: xData, target: y, start: base, end: base + inner }, gain, shift);
    }
  }
  return [
    { dtype: 'float32', shape: [...x.shape], data: y },
    { dtype: 'float32', shape: [channels], data: Float32Array.from(mean) },
    { dtype: 'float32', shape: [channels], data: Float32Array.from(variance) },
  ];
}

export function batchNormTrainingGradKernel(inputs: readonly (TensorData | undefined)[], attrs: Attributes, context: KernelContext): TensorData[] {
  // dy, x: (N, C, D1, …), scale, mean, variance: (C) → dx: x's shape, dScale, dB: (C)
  const dy = requireInput(inputs, 0, context, 'dY');
  const x = requireInput(inputs, 1, context, 'X');
  const scale = requireInput(inputs, 2, context, 'scale');
  const mean = requireInput(inputs, 3, context, 'batch_mean');
  const variance = requireInput(inputs, 4, context, 'batch_var');
  const dyData = float32Data(dy, context, 'dY');
  const xData = float32Data(x, context, 'X');
  const scaleData = float32Data(scale, context, 'scale');
  const meanData = float32Data(mean, context, 'batch_mean');
  const varianceData = float32Data(variance, context, 'batch_var');
  requireGradientShape(dy, x.shape, context);
  const layout = channelLayout(x, [scale, mean, variance], context);
  const { batch, channels, inner } = layout;
  const count = batch * inner;
  const epsilon = epsilonOf(attrs);
  const dx = new Float32Array(xData.length);
  const dScale = new Float32Array(channels);
  const dBias = new Float32Array(channels);
  const outputs: TensorData[] = [
    { dtype: 'float32', shape: [...x.shape], data: dx },
    { dtype: 'float32', shape: [channels], data: dScale },
    { dtype: 'float32', shape: [channels], data: dBias },
  ];
  const operands = { dy: dyData, x: xData, scale: scaleData, mean: meanData, variance: varianceData, epsilon };
  if (xData.length >= WASM_MIN_ELEMENTS && wasmBatchNormBackward(layout, operands, { dx, dScale, dBias })) return outputs;
  for (let channel = 0; channel < channels; channel++) {
    const average = meanData[channel] as number;
    const inverseStd = 1 / Math.sqrt((varianceData[channel] as number) + epsilon);
    const [sumGradient, sumGradientCentered] = channelGradientSums(dyData, xData, layout, channel, average);
    const scaleGradient = sumGradientCentered * inverseStd; // Σ dY · x̂
    dScale[channel] = scaleGradient;
    dBias[channel] = sumGradient;
    // dX = scale·invStd · (dY − Σ dY / M − x̂ · Σ dY·x̂ / M), with x̂ = (X − mean)·invStd
    // Expanded to dX = gain·dY − gain·slope·X + offset (one multiply-add pair per element).
    const gain = (scaleData[channel] as number) * inverseStd;
    const slope = (scaleGradient * inverseStd) / count;
    const xFactor = -gain * slope;
    const offset = gain * (average * slope - sumGradient / count);
    for (let sample = 0; sample < batch; sample++) {
      const base = (sample * channels + channel) * inner;
      inputGradientRange({ dy: dyData, x: xData, dx, start: base, end: base + inner }, gain, xFactor, offset);
    }
  }
  return outputs;
}
