// Float32 2-D convolution on the WebAssembly kernels: the host side that runs a ConvProgram
// (conv-program.ts) — writes its constants and descriptor into the memory, pads the input (pad
// job) and lets the threads share the output panels through an atomic counter. wasmConv2d is
// the one-call form used by the eager Conv kernel; compiled graphs keep programs resident
// (src/fast/compile/conv-step.ts).
import type { Conv2dShape } from '../fast/conv2d.js';
import {
  type ConvAlgorithm,
  type ConvEpilogue,
  type ConvOutputLayout,
  type ConvProgram,
  align16,
  convConstantBytes,
  createConvProgram,
  denseOutputLayout,
  depthwiseApplies,
  needsPadding,
  paddedInputBytes,
  wasmConvSupports,
  winogradApplies,
} from './conv-program.js';
import * as conv from './conv-layout.js';
import { WORD_KIND } from './job-layout.js';
import { MIN_WORK_PER_THREAD } from './partition.js';
import { slotAddress } from './thread-pool.js';
import { getWasmRuntime, type MemoryViews, scratchAddresses, type WasmRuntime } from './wasm-runtime.js';

export * from './conv-program.js';

/** Addresses (bytes) of a program's constants once written by writeConvConstants. */
export interface ConvConstants {
  readonly weights: number;
  readonly offsets: number;
  readonly bias: number;
  readonly descriptor: number;
}

/** Copies the program's constants to `base` (convConstantBytes bytes) and returns their addresses. */
export function writeConvConstants(program: ConvProgram, views: MemoryViews, base: number): ConvConstants {
  const weights = base;
  const offsets = weights + align16(program.packedWeights.length * 4);
  const bias = offsets + align16(program.depthOffsets.length * 4);
  const descriptor = bias + align16(program.shape.outChannels * 4);
  views.f32.set(program.packedWeights, weights / 4);
  views.i32.set(program.depthOffsets, offsets / 4);
  if (program.bias) views.f32.set(program.bias.subarray(0, program.shape.outChannels), bias / 4);
  return { weights, offsets, bias: program.bias ? bias : 0, descriptor };
}

/** The arguments of one run: where the padded input is and where the result goes (byte addresses). */
export interface ConvCall {
  readonly constants: ConvConstants;
  readonly paddedInput: number;
  readonly output: number;
  readonly outputLayout: ConvOutputLayout;
}

/** Writes the descriptor and runs the conv jobs over all output panels (input already padded). */
export function runConvProgram(runtime: WasmRuntime, program: ConvProgram, call: ConvCall): void {
  writeDescriptor(runtime.views().i32, program, call);
  const { shape } = program;
  const panels = panelCount(program);
  // multiply-adds of the direct product; Winograd does 2.25× / 4× fewer, at a lower rate
  const direct = shape.batch * shape.outChannels * shape.outHeight * shape.outWidth * (shape.inChannels / shape.group) * shape.kernelHeight * shape.kernelWidth;
  const work = direct / WORK_DIVISOR[program.algorithm];
  const parts = Math.max(1, Math.min(runtime.threads, panels, Math.floor(work / MIN_WORK_PER_THREAD)));
  const words = runtime.views().i32;
  // the parts share the panels through the descriptor's counter, a few chunks per thread
  Atomics.store(words, call.constants.descriptor / 4 + conv.D_NEXT_PANEL, 0);
  const chunk = Math.max(1, Math.ceil(panels / (parts * CHUNKS_PER_THREAD)));
  for (let part = 0; part < parts; part++) {
    const slot = slotAddress(part) / 4;
    const { scratchA, scratchB } = scratchAddresses(part);
    words[slot + WORD_KIND] = JOB_KINDS[program.algorithm];
    words[slot + conv.WORD_DESCRIPTOR] = call.constants.descriptor;
    words[slot + conv.WORD_PANEL0] = 0;
    words[slot + conv.WORD_PANELS] = panels;
    words[slot + conv.WORD_CHUNK] = chunk;
    words[slot + conv.WORD_SCRATCH_A] = scratchA;
    words[slot + conv.WORD_SCRATCH_B] = scratchB;
  }
  runtime.runParallel(parts, { shareable: true });
}

const WORK_DIVISOR: Readonly<Record<ConvAlgorithm, number>> = { 'implicit-gemm': 1, depthwise: 1, winograd: 2, winograd4: 3 };

/** Chunks of panels per thread: small enough to balance a late or slow thread, large enough to keep the counter cold. */
const CHUNKS_PER_THREAD = 8;

const JOB_KINDS: Readonly<Record<ConvAlgorithm, number>> = {
  'implicit-gemm': conv.JOB_F32_CONV,
  winograd: conv.JOB_F32_WINOGRAD,
  depthwise: conv.JOB_F32_DEPTHWISE,
  winograd4: conv.JOB_F32_WINOGRAD4,
};

/** Units the jobs split: 2 × 8 output patches, 16-tile Winograd panels, or depthwise output planes. */
function panelCount(program: ConvProgram): number {
  const { batch, outHeight, outWidth, outChannels } = program.shape;
  if (program.algorithm === 'depthwise') return batch * outChannels;
  if (program.algorithm === 'winograd' || program.algorithm === 'winograd4') {
    const tile = program.algorithm === 'winograd4' ? 4 : 2;
    return Math.ceil((batch * Math.ceil(outHeight / tile) * Math.ceil(Math.ceil(outWidth / tile) / 4)) / 4);
  }
  return batch * Math.ceil(outHeight / 2) * Math.ceil(outWidth / 8);
}

function writeDescriptor(words: Int32Array, program: ConvProgram, call: ConvCall): void {
  const { shape, epilogue } = program;
  const d = call.constants.descriptor / 4;
  const plane = program.paddedHeight * program.paddedWidth;
  const activation = epilogue.activation ?? 'none';
  let flags = activation === 'relu' ? conv.FLAG_RELU : typeof activation === 'object' ? conv.FLAG_CLIP : 0;
  if (epilogue.pool) flags |= conv.FLAG_POOL;
  words[d + conv.D_INPUT] = call.paddedInput;
  words[d + conv.D_IN_IMAGE_STRIDE] = shape.inChannels * plane;
  words[d + conv.D_IN_PLANE_STRIDE] = plane;
  words[d + conv.D_IN_ROW_STRIDE] = program.paddedWidth;
  words[d + conv.D_CHANNELS_PER_GROUP] = shape.inChannels / shape.group;
  words[d + conv.D_STRIDE_H] = shape.strideHeight;
  words[d + conv.D_STRIDE_W] = shape.strideWidth;
  words[d + conv.D_OUT_H] = shape.outHeight;
  words[d + conv.D_OUT_W] = shape.outWidth;
  words[d + conv.D_GROUPS] = shape.group;
  words[d + conv.D_OUT_PER_GROUP] = program.outPerGroup;
  words[d + conv.D_DEPTH] = program.depth;
  words[d + conv.D_K_OFFSETS] = call.constants.offsets;
  words[d + conv.D_WEIGHTS] = call.constants.weights;
  words[d + conv.D_BIAS] = call.constants.bias;
  words[d + conv.D_FLAGS] = flags;
  const floats = new Float32Array(words.buffer, words.byteOffset, words.length);
  floats[d + conv.D_CLIP_MIN] = typeof activation === 'object' ? activation.clipMin : 0;
  floats[d + conv.D_CLIP_MAX] = typeof activation === 'object' ? activation.clipMax : 0;
  words[d + conv.D_OUT_IMAGE_STRIDE] = call.outputLayout.imageStride;
  words[d + conv.D_OUT_PLANE_STRIDE] = call.outputLayout.planeStride;
  words[d + conv.D_OUT_ROW_STRIDE] = call.outputLayout.rowStride;
  words[d + conv.D_BATCH] = shape.batch;
  words[d + conv.D_KERNEL_H] = shape.kernelHeight;
  words[d + conv.D_KERNEL_W] = shape.kernelWidth;
  words[d + conv.D_DILATION_H] = shape.dilationHeight;
  words[d + conv.D_DILATION_W] = shape.dilationWidth;
  // the descriptor's output address already includes the layout offset
  words[d + conv.D_OUTPUT] = call.output + call.outputLayout.offset * 4;
}

/** Pads `planes` planes of (height, width) at `source` into (paddedHeight, paddedWidth) at `target`. */
export interface PadOptions {
  readonly source: number;
  readonly target: number;
  readonly planes: number;
  readonly height: number;
  readonly width: number;
  readonly paddedHeight: number;
  readonly paddedWidth: number;
  readonly top: number;
  readonly left: number;
  /** (x − sub) / div while copying (a Sub / Div by scalars fused before the conv). */
  readonly affine?: { readonly sub: number; readonly div: number };
}

export function runPadJobs(runtime: WasmRuntime, options: PadOptions): void {
  const work = options.planes * options.paddedHeight * options.paddedWidth;
  // a copy: worth a second thread only when large (a fork-join costs tens of µs, more on a busy machine)
  const parts = Math.max(1, Math.min(runtime.threads, options.planes, Math.floor(work / (1 << 20))));
  const { i32: words, f32: floats } = runtime.views();
  for (let part = 0; part < parts; part++) {
    const slot = slotAddress(part) / 4;
    const first = Math.floor((part * options.planes) / parts);
    words[slot + WORD_KIND] = conv.JOB_F32_PAD;
    words[slot + conv.WORD_PAD_SOURCE] = options.source;
    words[slot + conv.WORD_PAD_TARGET] = options.target;
    words[slot + conv.WORD_PAD_PLANE0] = first;
    words[slot + conv.WORD_PAD_PLANES] = Math.floor(((part + 1) * options.planes) / parts) - first;
    words[slot + conv.WORD_PAD_HEIGHT] = options.height;
    words[slot + conv.WORD_PAD_WIDTH] = options.width;
    words[slot + conv.WORD_PAD_PADDED_HEIGHT] = options.paddedHeight;
    words[slot + conv.WORD_PAD_PADDED_WIDTH] = options.paddedWidth;
    words[slot + conv.WORD_PAD_TOP] = options.top;
    words[slot + conv.WORD_PAD_LEFT] = options.left;
    words[slot + conv.WORD_PAD_AFFINE] = options.affine ? 1 : 0;
    floats[slot + conv.WORD_PAD_SUB] = options.affine?.sub ?? 0;
    floats[slot + conv.WORD_PAD_DIV] = options.affine?.div ?? 1;
  }
  runtime.runParallel(parts);
}

/**
 * y (N, M, oH', oW') = epilogue(conv(x, w) + bias) in one call: copies x in, pads, runs, copies y
 * out. false when the runtime is unavailable or the shape unsupported (callers fall back).
 */
export function wasmConv2d(options: {
  shape: Conv2dShape;
  x: Float32Array;
  weights: Float32Array;
  bias?: Float32Array;
  y: Float32Array;
  epilogue?: ConvEpilogue;
  /** Default 'auto': Winograd where it applies. */
  algorithm?: ConvAlgorithm | 'auto';
}): boolean {
  const runtime = getWasmRuntime();
  if (!runtime || !wasmConvSupports(options.shape, options.epilogue)) return false;
  if ((options.algorithm === 'winograd' || options.algorithm === 'winograd4') && !winogradApplies(options.shape)) return false;
  if (options.algorithm === 'depthwise' && !depthwiseApplies(options.shape, options.epilogue)) return false;
  const program = createConvProgram(options.shape, options.weights, options.bias, options.epilogue, options.algorithm);
  const { batch, inChannels, inHeight, inWidth } = options.shape;
  const inputBytes = align16((batch * inChannels * inHeight * inWidth + program.inputSlack) * 4);
  const padded = needsPadding(program);
  const layout = denseOutputLayout(program);
  const outputBytes = align16(batch * layout.imageStride * 4);
  let base: number;
  try {
    base = runtime.reserveOperands(convConstantBytes(program) + inputBytes + (padded ? paddedInputBytes(program) : 0) + outputBytes);
  } catch {
    return false;
  }
  const views = runtime.views();
  const constants = writeConvConstants(program, views, base);
  const input = base + convConstantBytes(program);
  const paddedInput = padded ? input + inputBytes : input;
  const output = paddedInput + (padded ? paddedInputBytes(program) : inputBytes);
  views.f32.set(options.x.subarray(0, batch * inChannels * inHeight * inWidth), input / 4);
  if (padded) {
    const { padTop, padLeft } = options.shape;
    runPadJobs(runtime, { source: input, target: paddedInput, planes: batch * inChannels, height: inHeight, width: inWidth, paddedHeight: program.paddedHeight, paddedWidth: program.paddedWidth, top: padTop, left: padLeft });
  }
  runConvProgram(runtime, program, { constants, paddedInput, output, outputLayout: layout });
  options.y.set(runtime.views().f32.subarray(output / 4, output / 4 + batch * layout.imageStride));
  return true;
}
