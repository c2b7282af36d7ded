// Host side of the batch-normalization training kernels (assembly/batch-norm-train-f32.ts):
// copies the operands into the shared memory, lets the threads take channels from a counter
// (each channel is summed in a fixed order: results do not depend on the thread count) and
// copies the results out. false when the runtime is unavailable or the operands do not fit
// (callers use the TypeScript loops of kernels/training/batch-norm-training.ts).
import * as layout from './batch-norm-train-layout.js';
import { WORD_KIND } from './job-layout.js';
import { MIN_WORK_PER_THREAD } from './partition.js';
import { slotAddress } from './thread-pool.js';
import { getWasmRuntime, type WasmRuntime } from './wasm-runtime.js';

/** X viewed as (batch, channels, inner). */
export interface ChannelLayout {
  readonly batch: number;
  readonly channels: number;
  readonly inner: number;
}

const align4 = (floats: number): number => Math.ceil(floats / 4) * 4;
/** Channel chunks per thread taken from the counter. */
const CHUNKS_PER_THREAD = 4;
/** Floats of the counter's cache line. */
const COUNTER_FLOATS = 16;

/** Reserves `arrays` (float lengths) one after another (16-byte aligned); float offsets into the heap. */
function reserve(runtime: WasmRuntime, lengths: readonly number[]): number[] | undefined {
  const total = lengths.reduce((sum, length) => sum + align4(length), COUNTER_FLOATS);
  let base: number;
  try {
    base = runtime.reserveOperands(total * 4) / 4;
  } catch {
    return undefined;
  }
  const offsets: number[] = [base];
  let next = base + COUNTER_FLOATS;
  for (const length of lengths) {
    offsets.push(next);
    next += align4(length);
  }
  return offsets;
}

/** Fills the slots (word → value; addresses given as float offsets are converted by the caller) and runs. */
function runChannels(runtime: WasmRuntime, kind: number, words: ReadonlyMap<number, number>, shape: ChannelLayout, counter: number): void {
  const elements = shape.batch * shape.channels * shape.inner;
  const parts = Math.max(1, Math.min(runtime.threads, shape.channels, Math.floor((3 * elements) / MIN_WORK_PER_THREAD)));
  const heap = runtime.views().i32;
  Atomics.store(heap, counter, 0);
  for (let part = 0; part < parts; part++) {
    const slot = slotAddress(part) / 4;
    heap[slot + WORD_KIND] = kind;
    for (const [index, value] of words) heap[slot + index] = value;
    heap[slot + layout.WORD_COUNTER] = counter * 4;
    heap[slot + layout.WORD_CHUNK] = Math.max(1, Math.ceil(shape.channels / (parts * CHUNKS_PER_THREAD)));
  }
  runtime.runParallel(parts, { shareable: true });
}

/** Writes ε as an f64 into the counter's cache line (after the counter); returns its byte address. */
function writeEpsilon(runtime: WasmRuntime, counter: number, epsilon: number): number {
  const address = counter * 4 + 32;
  new Float64Array(runtime.views().f32.buffer, address, 1)[0] = epsilon;
  return address;
}

/** y = BN(x) with batch statistics; writes y, mean and biased variance. */
export function wasmBatchNormForward(
  shape: ChannelLayout,
  operands: { x: Float32Array; scale: Float32Array; bias: Float32Array; epsilon: number },
  results: { y: Float32Array; mean: Float32Array; variance: Float32Array },
): boolean {
  const runtime = getWasmRuntime();
  if (!runtime) return false;
  const { channels } = shape;
  const elements = shape.batch * channels * shape.inner;
  const offsets = reserve(runtime, [elements, elements, channels, channels, channels, channels]);
  if (!offsets) return false;
  const [counter, x, y, scale, bias, mean, variance] = offsets as [number, number, number, number, number, number, number];
  const heap = runtime.views().f32;
  heap.set(operands.x.subarray(0, elements), x);
  heap.set(operands.scale.subarray(0, channels), scale);
  heap.set(operands.bias.subarray(0, channels), bias);
  const words = new Map([
    [layout.WORD_X, x * 4], [layout.WORD_OUTPUT, y * 4], [layout.WORD_SCALE, scale * 4], [layout.WORD_SHIFT, bias * 4],
    [layout.WORD_FIRST, mean * 4], [layout.WORD_SECOND, variance * 4], [layout.WORD_EPSILON, writeEpsilon(runtime, counter, operands.epsilon)],
    [layout.WORD_BATCH, shape.batch], [layout.WORD_CHANNELS, channels], [layout.WORD_INNER, shape.inner],
  ]);
  runChannels(runtime, layout.JOB_BN_FORWARD, words, shape, counter);
  const out = runtime.views().f32;
  results.y.set(out.subarray(y, y + elements));
  results.mean.set(out.subarray(mean, mean + channels));
  results.variance.set(out.subarray(variance, variance + channels));
  return true;
}

/** dx, dScale, dB of BN with batch statistics (mean and biased variance of the forward pass). */
export function wasmBatchNormBackward(
  shape: ChannelLayout,
  operands: { dy: Float32Array; x: Float32Array; scale: Float32Array; mean: Float32Array; variance: Float32Array; epsilon: number },
  results: { dx: Float32Array; dScale: Float32Array; dBias: Float32Array },
): boolean {
  const runtime = getWasmRuntime();
  if (!runtime) return false;
  const { channels } = shape;
  const elements = shape.batch * channels * shape.inner;
  const offsets = reserve(runtime, [elements, elements, elements, channels, channels, channels, channels, channels]);
  if (!offsets) return false;
  const [counter, dy, x, dx, scale, mean, variance, dScale, dBias] = offsets as [number, number, number, number, number, number, number, number, number];
  const heap = runtime.views().f32;
  heap.set(operands.dy.subarray(0, elements), dy);
  heap.set(operands.x.subarray(0, elements), x);
  heap.set(operands.scale.subarray(0, channels), scale);
  heap.set(operands.mean.subarray(0, channels), mean);
  heap.set(operands.variance.subarray(0, channels), variance);
  const words = new Map([
    [layout.WORD_X, x * 4], [layout.WORD_GRADIENT, dy * 4], [layout.WORD_OUTPUT, dx * 4], [layout.WORD_SCALE, scale * 4],
    [layout.WORD_SHIFT, mean * 4], [layout.WORD_VARIANCE, variance * 4], [layout.WORD_FIRST, dScale * 4], [layout.WORD_SECOND, dBias * 4],
    [layout.WORD_EPSILON, writeEpsilon(runtime, counter, operands.epsilon)], [layout.WORD_BATCH, shape.batch], [layout.WORD_CHANNELS, channels], [layout.WORD_INNER, shape.inner],
  ]);
  runChannels(runtime, layout.JOB_BN_BACKWARD, words, shape, counter);
  const out = runtime.views().f32;
  results.dx.set(out.subarray(dx, dx + elements));
  results.dScale.set(out.subarray(dScale, dScale + channels));
  results.dBias.set(out.subarray(dBias, dBias + channels));
  return true;
}
