// Batch normalization for training (statistics over N and the spatial axes, per channel) in
// WebAssembly SIMD; slot words: batch-norm-train-layout.ts. One panel = one channel, swept plane
// by plane (each (image, channel) plane is contiguous): four f32x4 accumulators per plane, each
// plane's sum added to a float64 total, so sums are as accurate as the TypeScript kernel's
// float64 loops to float32 rounding of the per-plane partial sums.
//  - forward: mean, then Σ (x − mean)² (two passes: no cancellation), y = (x − mean)·gain + B
//    with gain = scale / √(var + ε); mean and biased variance are returned.
//  - backward: Σ dY and Σ dY·(x − mean) in one pass, dScale = Σ dY·x̂, dB = Σ dY,
//    dX = gain·(dY − Σ dY / M) − gain·slope·(x − mean), slope = dScale / (√(var + ε) · M).
// A channel is computed by one thread in a fixed order, so results do not depend on the thread
// count. Oracle: the TypeScript kernels in src/kernels/training/batch-norm-training.ts.
import * as bn from './batch-norm-train-layout';

function word(slot: usize, index: i32): i32 {
  return load<i32>(slot + (<usize>index << 2));
}

export function isBatchNormTrainJob(kind: i32): bool {
  return kind === bn.JOB_BN_FORWARD || kind === bn.JOB_BN_BACKWARD;
}

export function runBatchNormTrainJob(slot: usize, kind: i32): void {
  const channels = word(slot, bn.WORD_CHANNELS);
  const chunk = max(1, word(slot, bn.WORD_CHUNK));
  const counter = <usize>word(slot, bn.WORD_COUNTER);
  for (;;) {
    const start = atomic.add<i32>(counter, chunk);
    if (start >= channels) break;
    const end = min(channels, start + chunk);
    for (let channel = start; channel < end; channel++) {
      if (kind === bn.JOB_BN_FORWARD) forwardChannel(slot, channel);
      else backwardChannel(slot, channel);
    }
  }
}

/** Planes ahead whose cache lines a channel's first pass touches (the planes of a channel lie a whole image apart, which hardware prefetchers do not follow). */
const PREFETCH = 3;

/** Reads one word of every cache line of `count` floats at `at` (a software prefetch). */
function touch(at: usize, count: i32): i32 {
  let sink = 0;
  const bytes = <usize>count << 2;
  for (let offset: usize = 0; offset < bytes; offset += 64) sink ^= load<i32>(at + offset);
  return sink;
}

function lanesSum(value: v128): f64 {
  return <f64>f32x4.extract_lane(value, 0) + <f64>f32x4.extract_lane(value, 1) + <f64>f32x4.extract_lane(value, 2) + <f64>f32x4.extract_lane(value, 3);
}

/** Σ x over `count` floats at `at`. */
function planeSum(at: usize, count: i32): f64 {
  let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
  let i = 0;
  for (; i + 16 <= count; i += 16) {
    const p = at + (<usize>i << 2);
    a0 = f32x4.add(a0, v128.load(p));
    a1 = f32x4.add(a1, v128.load(p, 16));
    a2 = f32x4.add(a2, v128.load(p, 32));
    a3 = f32x4.add(a3, v128.load(p, 48));
  }
  for (; i + 4 <= count; i += 4) a0 = f32x4.add(a0, v128.load(at + (<usize>i << 2)));
  let tail: f64 = 0;
  for (; i < count; i++) tail += <f64>load<f32>(at + (<usize>i << 2));
  return lanesSum(f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3))) + tail;
}

/** Σ (x − center)² over `count` floats at `at`. */
function planeSquares(at: usize, count: i32, center: f32): f64 {
  const c = f32x4.splat(center);
  let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
  let i = 0;
  for (; i + 16 <= count; i += 16) {
    const p = at + (<usize>i << 2);
    const d0 = f32x4.sub(v128.load(p), c);
    const d1 = f32x4.sub(v128.load(p, 16), c);
    const d2 = f32x4.sub(v128.load(p, 32), c);
    const d3 = f32x4.sub(v128.load(p, 48), c);
    a0 = f32x4.add(a0, f32x4.mul(d0, d0));
    a1 = f32x4.add(a1, f32x4.mul(d1, d1));
    a2 = f32x4.add(a2, f32x4.mul(d2, d2));
    a3 = f32x4.add(a3, f32x4.mul(d3, d3));
  }
  for (; i + 4 <= count; i += 4) {
    const d = f32x4.sub(v128.load(at + (<usize>i << 2)), c);
    a0 = f32x4.add(a0, f32x4.mul(d, d));
  }
  let tail: f64 = 0;
  for (; i < count; i++) {
    const d = <f64>load<f32>(at + (<usize>i << 2)) - <f64>center;
    tail += d * d;
  }
  return lanesSum(f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3))) + tail;
}

/** target = (source − center)·gain + shift over `count` floats. */
function planeAffine(source: usize, target: usize, count: i32, center: f32, gain: f32, shift: f32): void {
  const c = f32x4.splat(center);
  const g = f32x4.splat(gain);
  const s = f32x4.splat(shift);
  let i = 0;
  for (; i + 4 <= count; i += 4) {
    const offset = <usize>i << 2;
    v128.store(target + offset, f32x4.add(f32x4.mul(f32x4.sub(v128.load(source + offset), c), g), s));
  }
  for (; i < count; i++) {
    const offset = <usize>i << 2;
    store<f32>(target + offset, (load<f32>(source + offset) - center) * gain + shift);
  }
}

function forwardChannel(slot: usize, channel: i32): void {
  const batch = word(slot, bn.WORD_BATCH);
  const inner = word(slot, bn.WORD_INNER);
  const imageBytes = (<usize>word(slot, bn.WORD_CHANNELS) * inner) << 2;
  const x = <usize>word(slot, bn.WORD_X) + ((<usize>channel * inner) << 2);
  const y = <usize>word(slot, bn.WORD_OUTPUT) + ((<usize>channel * inner) << 2);
  const count = <f64>batch * <f64>inner;
  let sum: f64 = 0;
  let sink = 0;
  for (let image = 0; image < batch; image++) {
    if (image + PREFETCH < batch) sink ^= touch(x + <usize>(image + PREFETCH) * imageBytes, inner);
    sum += planeSum(x + <usize>image * imageBytes, inner);
  }
  store<i32>(<usize>word(slot, bn.WORD_COUNTER) + 60, sink); // keeps the touches
  const mean = sum / count;
  let squares: f64 = 0;
  for (let image = 0; image < batch; image++) squares += planeSquares(x + <usize>image * imageBytes, inner, <f32>mean);
  const variance = squares / count;
  const channelOffset = <usize>channel << 2;
  const epsilon = load<f64>(<usize>word(slot, bn.WORD_EPSILON));
  const gain = <f64>load<f32>(<usize>word(slot, bn.WORD_SCALE) + channelOffset) / Math.sqrt(variance + epsilon);
  const shift = load<f32>(<usize>word(slot, bn.WORD_SHIFT) + channelOffset);
  for (let image = 0; image < batch; image++) {
    const offset = <usize>image * imageBytes;
    planeAffine(x + offset, y + offset, inner, <f32>mean, <f32>gain, shift);
  }
  store<f32>(<usize>word(slot, bn.WORD_FIRST) + channelOffset, <f32>mean);
  store<f32>(<usize>word(slot, bn.WORD_SECOND) + channelOffset, <f32>variance);
}

// the two sums of planeGradientSums (returned through globals: each thread has its own instance)
let gradientSum: f64 = 0;
let centeredSum: f64 = 0;

/** Adds Σ dy and Σ dy·(x − center) over `count` floats to gradientSum / centeredSum. */
function planeGradientSums(dy: usize, x: usize, count: i32, center: f32): void {
  const c = f32x4.splat(center);
  let s0 = f32x4.splat(0), s1 = f32x4.splat(0), p0 = f32x4.splat(0), p1 = f32x4.splat(0);
  let i = 0;
  for (; i + 8 <= count; i += 8) {
    const offset = <usize>i << 2;
    const g0 = v128.load(dy + offset);
    const g1 = v128.load(dy + offset, 16);
    s0 = f32x4.add(s0, g0);
    s1 = f32x4.add(s1, g1);
    p0 = f32x4.add(p0, f32x4.mul(g0, f32x4.sub(v128.load(x + offset), c)));
    p1 = f32x4.add(p1, f32x4.mul(g1, f32x4.sub(v128.load(x + offset, 16), c)));
  }
  let tailSum: f64 = 0;
  let tailCentered: f64 = 0;
  for (; i < count; i++) {
    const offset = <usize>i << 2;
    const g = <f64>load<f32>(dy + offset);
    tailSum += g;
    tailCentered += g * (<f64>load<f32>(x + offset) - <f64>center);
  }
  gradientSum += lanesSum(f32x4.add(s0, s1)) + tailSum;
  centeredSum += lanesSum(f32x4.add(p0, p1)) + tailCentered;
}

/** dx = gain·(dy − meanGradient) − slope·(x − center) over `count` floats. */
function planeInputGradient(dy: usize, x: usize, dx: usize, count: i32, center: f32, gain: f32, meanGradient: f32, slope: f32): void {
  const c = f32x4.splat(center);
  const g = f32x4.splat(gain);
  const m = f32x4.splat(meanGradient);
  const s = f32x4.splat(slope);
  let i = 0;
  for (; i + 4 <= count; i += 4) {
    const offset = <usize>i << 2;
    const scaled = f32x4.mul(g, f32x4.sub(v128.load(dy + offset), m));
    v128.store(dx + offset, f32x4.sub(scaled, f32x4.mul(s, f32x4.sub(v128.load(x + offset), c))));
  }
  for (; i < count; i++) {
    const offset = <usize>i << 2;
    store<f32>(dx + offset, gain * (load<f32>(dy + offset) - meanGradient) - slope * (load<f32>(x + offset) - center));
  }
}

function backwardChannel(slot: usize, channel: i32): void {
  const batch = word(slot, bn.WORD_BATCH);
  const inner = word(slot, bn.WORD_INNER);
  const imageBytes = (<usize>word(slot, bn.WORD_CHANNELS) * inner) << 2;
  const start = (<usize>channel * inner) << 2;
  const x = <usize>word(slot, bn.WORD_X) + start;
  const dy = <usize>word(slot, bn.WORD_GRADIENT) + start;
  const dx = <usize>word(slot, bn.WORD_OUTPUT) + start;
  const channelOffset = <usize>channel << 2;
  const mean = load<f32>(<usize>word(slot, bn.WORD_SHIFT) + channelOffset);
  const epsilon = load<f64>(<usize>word(slot, bn.WORD_EPSILON));
  const inverseStd = 1 / Math.sqrt(<f64>load<f32>(<usize>word(slot, bn.WORD_VARIANCE) + channelOffset) + epsilon);
  gradientSum = 0;
  centeredSum = 0;
  let sink = 0;
  for (let image = 0; image < batch; image++) {
    const offset = <usize>image * imageBytes;
    if (image + PREFETCH < batch) sink ^= touch(dy + offset + PREFETCH * imageBytes, inner) ^ touch(x + offset + PREFETCH * imageBytes, inner);
    planeGradientSums(dy + offset, x + offset, inner, mean);
  }
  store<i32>(<usize>word(slot, bn.WORD_COUNTER) + 60, sink); // keeps the touches
  const count = <f64>batch * <f64>inner;
  const scaleGradient = centeredSum * inverseStd; // Σ dY · x̂
  const gain = <f64>load<f32>(<usize>word(slot, bn.WORD_SCALE) + channelOffset) * inverseStd;
  const slope = gain * scaleGradient * inverseStd / count;
  for (let image = 0; image < batch; image++) {
    const offset = <usize>image * imageBytes;
    planeInputGradient(dy + offset, x + offset, dx + offset, inner, mean, <f32>gain, <f32>(gradientSum / count), <f32>slope);
  }
  store<f32>(<usize>word(slot, bn.WORD_FIRST) + channelOffset, <f32>scaleGradient);
  store<f32>(<usize>word(slot, bn.WORD_SECOND) + channelOffset, <f32>gradientSum);
}
