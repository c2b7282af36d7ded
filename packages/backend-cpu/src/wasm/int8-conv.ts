// Host side of the WebAssembly quantized convolution (assembly/conv-int8.ts): QLinearConv with
// group 1 on uint8 / int8 activations and weights, int32 accumulation and the requantization
// fused, threaded like the other kernels (work units taken from a shared counter). The input is
// copied into the WebAssembly memory once, the kernel widens and pads it per image itself (no
// im2col buffer), the requantized 8-bit output is copied out once. Returns undefined (the caller
// runs another path) when the runtime is unavailable or the problem is outside the kernel's
// exact range: |Σ (x − x_zero)(w − w_zero)| + |bias| must stay inside int32, multipliers finite,
// one image's padded planes / one packed panel must fit the per-thread scratch.
// reference: https://onnx.ai/onnx/operators/onnx__QLinearConv.html
import type { Conv2dShape } from '../fast/conv2d.js';
import * as layout from './int8-conv-layout.js';
import { SCRATCH_A_BYTES, SCRATCH_B_BYTES, WORD_KIND } from './job-layout.js';
import { MIN_WORK_PER_THREAD } from './partition.js';
import { slotAddress } from './thread-pool.js';
import { getWasmRuntime, scratchAddresses, type MemoryViews, type WasmRuntime } from './wasm-runtime.js';

export type ByteArray = Uint8Array | Int8Array;

export interface QuantizedConvProblem {
  /** 2-D geometry (1-D lifted to height 1); group must be 1. */
  readonly shape: Conv2dShape;
  /** x: (N, C, H, W) */
  readonly x: ByteArray;
  /** w: (M, C, kH, kW) */
  readonly w: ByteArray;
  readonly xZero: number;
  /** One weight zero point, or one per output channel. */
  readonly wZeros: ArrayLike<number>;
  /** int32 bias per output channel (omitted = 0). */
  readonly bias?: Int32Array;
  /** x_scale · w_scale[m] / y_scale per output channel, as the reference computes it. */
  readonly multipliers: Float64Array;
  readonly yZero: number;
  /** y dtype: int8 (true) or uint8. */
  readonly outSigned: boolean;
}

const align16 = (bytes: number): number => Math.ceil(bytes / 16) * 16;
const ROWS = 4;
const LANES = 8;
const INT32_MAX = 2 ** 31 - 1;

interface Plan {
  readonly dense: boolean;
  /** |(Σ + bias) · multiplier| < 2^30 for every possible sum: the kernel's cheaper rounding applies. */
  readonly smallProducts: boolean;
  readonly depth: number;
  readonly pairs: number;
  readonly paddedHeight: number;
  readonly paddedWidth: number;
  readonly units: number;
}

/** Largest |value − zero| of a uint8 / int8 array's range. */
function widestDifference(signed: boolean, zero: number): number {
  const [low, high] = signed ? [-128, 127] : [0, 255];
  return Math.max(Math.abs(low - zero), Math.abs(high - zero));
}

function isDense(shape: Conv2dShape): boolean {
  const ones = [shape.inHeight, shape.inWidth, shape.kernelHeight, shape.kernelWidth, shape.outHeight, shape.outWidth];
  return ones.every((size) => size === 1) && shape.padTop === 0 && shape.padLeft === 0;
}

/** The kernel's plan, or undefined when the problem is outside its exact range or scratch. */
function planOf(problem: QuantizedConvProblem): Plan | undefined {
  const { shape, multipliers } = problem;
  if (shape.group !== 1 || shape.batch < 1 || shape.outChannels < 1 || shape.outHeight < 1 || shape.outWidth < 1) return undefined;
  const depth = shape.inChannels * shape.kernelHeight * shape.kernelWidth;
  const pairs = Math.ceil(depth / 2);
  if (depth < 1 || pairs * 32 > SCRATCH_A_BYTES || !multipliers.every(Number.isFinite)) return undefined;
  if (!Number.isInteger(problem.xZero) || Math.abs(problem.xZero) > 255) return undefined;
  let widestWeight = 0;
  for (let index = 0; index < problem.wZeros.length; index++) {
    const zero = problem.wZeros[index] as number;
    if (!Number.isInteger(zero) || Math.abs(zero) > 255) return undefined;
    widestWeight = Math.max(widestWeight, widestDifference(problem.w instanceof Int8Array, zero));
  }
  let widestBias = 0;
  for (const value of problem.bias ?? []) widestBias = Math.max(widestBias, Math.abs(value));
  const widestSum = depth * widestDifference(problem.x instanceof Int8Array, problem.xZero) * widestWeight + widestBias;
  if (widestSum > INT32_MAX) return undefined;
  const smallProducts = widestSum * Math.max(...Array.from(multipliers, Math.abs)) < 2 ** 30;
  if (isDense(shape)) return { dense: true, smallProducts, depth, pairs, paddedHeight: 1, paddedWidth: 1, units: Math.ceil(shape.batch / LANES) };
  // padded planes cover every input position a valid output reads
  const paddedHeight = (shape.outHeight - 1) * shape.strideHeight + (shape.kernelHeight - 1) * shape.dilationHeight + 1;
  const paddedWidth = (shape.outWidth - 1) * shape.strideWidth + (shape.kernelWidth - 1) * shape.dilationWidth + 1;
  // the packing of the last panel reads up to 16 strides past its first lane: keep that inside the scratch
  const planeBytes = 2 * (shape.inChannels * paddedHeight * paddedWidth + 16 * shape.strideWidth + 16);
  if (planeBytes > SCRATCH_B_BYTES) return undefined;
  return { dense: false, smallProducts, depth, pairs, paddedHeight, paddedWidth, units: shape.batch };
}

/** Packed weights per weight buffer: per 4 output channels, per depth pair, 4 int32 of int16 pairs (w − w_zero). */
const packedWeights = new WeakMap<ByteArray, { readonly key: string; readonly words: Int32Array }>();

function packWeights(problem: QuantizedConvProblem, depth: number): Int32Array {
  const { w, wZeros } = problem;
  const channels = problem.shape.outChannels;
  const key = `${channels}:${depth}:${Array.from(wZeros).join(',')}`;
  const cached = packedWeights.get(w);
  if (cached?.key === key) return cached.words;
  const pairs = Math.ceil(depth / 2);
  const panels = Math.ceil(channels / ROWS);
  const words = new Int32Array(panels * pairs * ROWS);
  const valueAt = (channel: number, k: number): number => {
    if (channel >= channels || k >= depth) return 0;
    return (w[channel * depth + k] as number) - (wZeros[wZeros.length === 1 ? 0 : channel] as number);
  };
  for (let panel = 0; panel < panels; panel++) {
    for (let pair = 0; pair < pairs; pair++) {
      for (let row = 0; row < ROWS; row++) {
        const channel = panel * ROWS + row;
        words[(panel * pairs + pair) * ROWS + row] = (valueAt(channel, 2 * pair) & 0xffff) | (valueAt(channel, 2 * pair + 1) << 16);
      }
    }
  }
  packedWeights.set(w, { key, words });
  return words;
}

/** Element offsets of each depth k = (c, kh, kw) in the padded int16 planes. */
function depthOffsets(shape: Conv2dShape, plan: Plan): Int32Array {
  const offsets = new Int32Array(plan.depth);
  const plane = plan.paddedHeight * plan.paddedWidth;
  let k = 0;
  for (let c = 0; c < shape.inChannels; c++) {
    for (let kh = 0; kh < shape.kernelHeight; kh++) {
      for (let kw = 0; kw < shape.kernelWidth; kw++) offsets[k++] = c * plane + kh * shape.dilationHeight * plan.paddedWidth + kw * shape.dilationWidth;
    }
  }
  return offsets;
}

interface Addresses {
  readonly descriptor: number;
  readonly offsets: number;
  readonly bias: number;
  readonly multipliers: number;
  readonly weights: number;
  readonly input: number;
  readonly output: number;
  readonly end: number;
}

function addressesOf(base: number, problem: QuantizedConvProblem, plan: Plan, weightWords: number): Addresses {
  const shape = problem.shape;
  const roundedChannels = Math.ceil(shape.outChannels / ROWS) * ROWS;
  const descriptor = base;
  const offsets = descriptor + align16(layout.DESCRIPTOR_WORDS * 4);
  const bias = offsets + align16(plan.depth * 4);
  const multipliers = bias + align16(roundedChannels * 4);
  const weights = multipliers + align16(roundedChannels * 8);
  const input = weights + align16(weightWords * 4);
  const output = input + align16(problem.x.length);
  const end = output + align16(shape.batch * shape.outChannels * shape.outHeight * shape.outWidth);
  return { descriptor, offsets, bias, multipliers, weights, input, output, end };
}

function writeDescriptor(words: Int32Array, problem: QuantizedConvProblem, plan: Plan, at: Addresses): void {
  const { shape } = problem;
  const entries: [number, number][] = [
    [layout.D_INPUT, at.input], [layout.D_IN_SIGNED, problem.x instanceof Int8Array ? 1 : 0], [layout.D_X_ZERO, problem.xZero],
    [layout.D_CHANNELS, shape.inChannels], [layout.D_IN_H, shape.inHeight], [layout.D_IN_W, shape.inWidth],
    [layout.D_PAD_TOP, shape.padTop], [layout.D_PAD_LEFT, shape.padLeft],
    [layout.D_PADDED_H, plan.paddedHeight], [layout.D_PADDED_W, plan.paddedWidth],
    [layout.D_STRIDE_H, shape.strideHeight], [layout.D_STRIDE_W, shape.strideWidth],
    [layout.D_OUT_H, shape.outHeight], [layout.D_OUT_W, shape.outWidth], [layout.D_OUT_CHANNELS, shape.outChannels],
    [layout.D_DEPTH, plan.depth], [layout.D_K_OFFSETS, at.offsets], [layout.D_WEIGHTS, at.weights],
    [layout.D_BIAS, at.bias], [layout.D_MULTIPLIERS, at.multipliers], [layout.D_Y_ZERO, problem.yZero],
    [layout.D_OUT_SIGNED, problem.outSigned ? 1 : 0], [layout.D_OUTPUT, at.output], [layout.D_BATCH, shape.batch],
    [layout.D_MODE, plan.dense ? layout.MODE_DENSE : layout.MODE_CONV], [layout.D_NEXT_UNIT, 0],
    [layout.D_SMALL_PRODUCTS, plan.smallProducts ? 1 : 0],
  ];
  const base = at.descriptor / 4;
  for (const [index, value] of entries) words[base + index] = value;
}

function copyOperands(views: MemoryViews, problem: QuantizedConvProblem, plan: Plan, at: Addresses, weights: Int32Array): void {
  const channels = problem.shape.outChannels;
  const roundedChannels = Math.ceil(channels / ROWS) * ROWS;
  views.i32.set(plan.dense ? new Int32Array(0) : depthOffsets(problem.shape, plan), at.offsets / 4);
  const bias = new Int32Array(roundedChannels);
  if (problem.bias) bias.set(problem.bias);
  views.i32.set(bias, at.bias / 4);
  const multipliers = new Float64Array(roundedChannels);
  multipliers.set(problem.multipliers);
  views.i32.set(new Int32Array(multipliers.buffer), at.multipliers / 4);
  views.i32.set(weights, at.weights / 4);
  if (problem.x instanceof Int8Array) views.i8.set(problem.x, at.input);
  else views.u8.set(problem.x, at.input);
}

function runJobs(runtime: WasmRuntime, problem: QuantizedConvProblem, plan: Plan, descriptor: number): void {
  const { shape } = problem;
  const work = shape.batch * shape.outChannels * shape.outHeight * shape.outWidth * plan.depth;
  const parts = Math.max(1, Math.min(runtime.threads, plan.units, Math.floor(work / MIN_WORK_PER_THREAD)));
  const words = runtime.views().i32;
  for (let thread = 0; thread < parts; thread++) {
    const slot = slotAddress(thread) / 4;
    const { scratchA, scratchB } = scratchAddresses(thread);
    words[slot + WORD_KIND] = layout.JOB_INT8_CONV;
    words[slot + layout.WORD_DESCRIPTOR] = descriptor;
    words[slot + layout.WORD_SCRATCH_A] = scratchA;
    words[slot + layout.WORD_SCRATCH_B] = scratchB;
  }
  runtime.runParallel(parts, { shareable: true });
}

/** y: (N, M, outH, outW) requantized, or undefined when the kernel cannot run this problem exactly. */
export function wasmQLinearConv(problem: QuantizedConvProblem): ByteArray | undefined {
  const { shape } = problem;
  const runtime = getWasmRuntime();
  const plan = runtime ? planOf(problem) : undefined;
  if (!runtime || !plan) return undefined;
  const weights = packWeights(problem, plan.depth);
  let base: number;
  try {
    base = runtime.reserveOperands(addressesOf(0, problem, plan, weights.length).end);
  } catch {
    return undefined;
  }
  const at = addressesOf(base, problem, plan, weights.length);
  const views = runtime.views();
  copyOperands(views, problem, plan, at, weights);
  writeDescriptor(views.i32, problem, plan, at);
  runJobs(runtime, problem, plan, at.descriptor);
  const after = runtime.views();
  // every unit was taken (a module built before this job existed would leave the counter at 0)
  if ((after.i32[at.descriptor / 4 + layout.D_NEXT_UNIT] as number) < plan.units) return undefined;
  const end = at.output + shape.batch * shape.outChannels * shape.outHeight * shape.outWidth;
  return problem.outSigned ? after.i8.slice(at.output, end) : after.u8.slice(at.output, end);
}
