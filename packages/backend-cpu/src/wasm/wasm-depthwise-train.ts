// Host side of the depthwise training kernels (assembly/depthwise-train-f32.ts,
// depthwise-grad-weight-f32.ts): copies the dense operands into the shared memory, describes the
// zero-padded plane each job builds in its scratch, runs the jobs on the threads (panels shared
// through an atomic counter; every panel is summed in a fixed order, so the results do not depend
// on the thread count) and copies the result out. Each function returns false when the runtime
// is unavailable or a padded plane does not fit the scratch (callers fall back to
// fast/depthwise.ts's TypeScript loops).
// Input gradient: dX = conv(U, flip(W)) with stride 1, where U holds dY[oh, ow] at
// (oh·sH + (kH − 1)·dH − padTop, ow·sW + (kW − 1)·dW − padLeft) and zeros elsewhere.
import type { Conv2dShape } from '../fast/conv2d.js';
import * as layout from './depthwise-train-layout.js';
import { SCRATCH_B_BYTES, WORD_KIND } from './job-layout.js';
import { OperandSpace, reserveFloats } from './operand-space.js';
import { MIN_WORK_PER_THREAD } from './partition.js';
import { slotAddress } from './thread-pool.js';
import { getWasmRuntime, scratchAddresses, type WasmRuntime } from './wasm-runtime.js';

/** Panel chunks per thread taken from the counter (balance against counter traffic). */
const CHUNKS_PER_THREAD = 8;

const align4 = (floats: number): number => Math.ceil(floats / 4) * 4;

/** The convolution a direct job computes: output (outH, outW) from a padded input, any stride. */
interface DirectGeometry {
  readonly outH: number;
  readonly outW: number;
  readonly strideH: number;
  readonly strideW: number;
  readonly dilationH: number;
  readonly dilationW: number;
  readonly kernelH: number;
  readonly kernelW: number;
}

/** How a job copies a dense (height, width) source plane into its zero-padded scratch plane. */
interface PlanePlacement {
  readonly height: number;
  readonly width: number;
  readonly top: number;
  readonly left: number;
  readonly strideH: number;
  readonly strideW: number;
  /** The padded plane: rows, row stride, and floats of the buffer (rows plus zero slack). */
  readonly paddedH: number;
  readonly row: number;
  readonly floats: number;
}

/** Output rows per block of four quads: 4 × 4, 2 × 8 or 1 × 16 outputs, the least waste on this width. */
function blockRows(outW: number): number {
  const quads = Math.ceil(outW / 4);
  return quads === 1 ? 4 : quads === 2 ? 2 : 1;
}

/** A padded plane in which every window lies, with zero slack for the lanes and taps computed past the edges. */
function paddedPlane(geometry: DirectGeometry, source: Omit<PlanePlacement, 'paddedH' | 'row' | 'floats'>): PlanePlacement {
  const { outH, outW, strideH, strideW, dilationH, dilationW, kernelH, kernelW } = geometry;
  const paddedH = Math.max(source.top + (source.height - 1) * source.strideH + 1, (outH - 1) * strideH + (kernelH - 1) * dilationH + 1);
  const row = Math.max(source.left + (source.width - 1) * source.strideW + 1, (outW - 1) * strideW + (kernelW - 1) * dilationW + 1);
  // reads past the plane: whole blocks of rows / quads, four taps at a time, and stride-2 quad loads
  const rows = blockRows(outW);
  const blockWidth = 16 / rows;
  const lastRow = (rows * Math.ceil(outH / rows) - 1) * strideH + (kernelH - 1) * dilationH;
  const lastColumn = (blockWidth * Math.ceil(outW / blockWidth) - 1) * strideW + (4 * Math.ceil(kernelW / 4) - 1) * dilationW + 4;
  const floats = align4(Math.max(paddedH * row, lastRow * row + lastColumn + 1) + 4);
  return { ...source, paddedH, row, floats };
}

interface JobCall {
  readonly shape: Conv2dShape;
  readonly geometry: DirectGeometry;
  readonly placement: PlanePlacement;
  /** Float offsets in the operand block. */
  readonly source: number;
  readonly weights: number;
  readonly bias: number | undefined;
  readonly output: number;
  readonly descriptor: number;
  /** Output layout when not a dense (N, M, outH, outW) tensor: row and plane strides, column step. */
  readonly outRow?: number;
  readonly outPlane?: number;
  readonly outStep?: number;
}

function writeDescriptor(runtime: WasmRuntime, base: number, call: JobCall): void {
  const words = runtime.views().i32;
  const d = base / 4 + call.descriptor;
  const { geometry, shape, placement } = call;
  const values: [number, number][] = [
    [layout.D_INPUT, base + call.source * 4], [layout.D_IN_ROW, placement.row], [layout.D_IN_PLANE, placement.floats],
    [layout.D_IN_CHANNELS, shape.inChannels], [layout.D_MULTIPLIER, shape.outChannels / shape.inChannels],
    [layout.D_OUTPUT, base + call.output * 4], [layout.D_OUT_ROW, call.outRow ?? geometry.outW], [layout.D_OUT_PLANE, call.outPlane ?? geometry.outH * geometry.outW],
    [layout.D_OUT_STEP, call.outStep ?? 1],
    [layout.D_OUT_H, geometry.outH], [layout.D_OUT_W, geometry.outW], [layout.D_STRIDE_H, geometry.strideH], [layout.D_STRIDE_W, geometry.strideW],
    [layout.D_DILATION_H, geometry.dilationH], [layout.D_DILATION_W, geometry.dilationW], [layout.D_KERNEL_H, geometry.kernelH], [layout.D_KERNEL_W, geometry.kernelW],
    [layout.D_WEIGHTS, base + call.weights * 4], [layout.D_BIAS, call.bias === undefined ? 0 : base + call.bias * 4],
    [layout.D_BLOCK_ROWS, blockRows(geometry.outW)], [layout.D_OUTPUTS, shape.outChannels], [layout.D_NEXT_PANEL, 0],
    [layout.D_GRADIENT_ROW, 4 * Math.ceil(geometry.outW / 4)], [layout.D_PADDED_H, placement.paddedH], [layout.D_BATCH, shape.batch],
    [layout.D_SOURCE_H, placement.height], [layout.D_SOURCE_W, placement.width], [layout.D_PLACE_TOP, placement.top], [layout.D_PLACE_LEFT, placement.left],
    [layout.D_PLACE_STRIDE_H, placement.strideH], [layout.D_PLACE_STRIDE_W, placement.strideW],
  ];
  words.fill(0, d, d + layout.DESCRIPTOR_WORDS);
  for (const [index, value] of values) words[d + index] = value;
}

/** Runs `panels` panels of a direct / weight-gradient job whose descriptor is at `descriptor` (bytes). */
function runPanels(runtime: WasmRuntime, options: { kind: number; descriptor: number; panels: number; work: number }): void {
  const { kind, descriptor, panels } = options;
  const parts = Math.max(1, Math.min(runtime.threads, panels, Math.floor(options.work / MIN_WORK_PER_THREAD)));
  const words = runtime.views().i32;
  const chunk = Math.max(1, Math.ceil(panels / (parts * CHUNKS_PER_THREAD)));
  for (let part = 0; part < parts; part++) {
    const slot = slotAddress(part) / 4;
    const { scratchA, scratchB } = scratchAddresses(part);
    words[slot + WORD_KIND] = kind;
    words[slot + layout.WORD_DESCRIPTOR] = descriptor;
    words[slot + layout.WORD_PANELS] = panels;
    words[slot + layout.WORD_CHUNK] = chunk;
    words[slot + layout.WORD_SCRATCH] = scratchA;
    words[slot + layout.WORD_SCRATCH_B] = scratchB;
  }
  runtime.runParallel(parts, { shareable: true });
}

const forwardGeometry = (shape: Conv2dShape): DirectGeometry => ({
  outH: shape.outHeight, outW: shape.outWidth, strideH: shape.strideHeight, strideW: shape.strideWidth,
  dilationH: shape.dilationHeight, dilationW: shape.dilationWidth, kernelH: shape.kernelHeight, kernelW: shape.kernelWidth,
});

/** X's planes as the forward pass and the weight gradient place them (padding only). */
const inputPlacement = (shape: Conv2dShape): PlanePlacement =>
  paddedPlane(forwardGeometry(shape), { height: shape.inHeight, width: shape.inWidth, top: shape.padTop, left: shape.padLeft, strideH: 1, strideW: 1 });

/** Copies `arrays` into a fresh operand block laid out by `space`; the block's byte address, or undefined. */
function copyIn(runtime: WasmRuntime, space: OperandSpace, arrays: readonly [number, Float32Array, number][]): number | undefined {
  const base = reserveFloats(runtime, space.floats);
  if (base === undefined) return undefined;
  const heap = runtime.views().f32;
  for (const [offset, array, length] of arrays) heap.set(array.subarray(0, length), base / 4 + offset);
  return base;
}

/** y: (N, M, oH, oW) = depthwise conv(x: (N, C, H, W), w: (M, 1, kH, kW)) + bias; M a multiple of C = group. */
export function wasmDepthwiseForward(shape: Conv2dShape, x: Float32Array, w: Float32Array, bias: Float32Array | undefined, y: Float32Array): boolean {
  const runtime = getWasmRuntime();
  const placement = inputPlacement(shape);
  if (!runtime || placement.floats * 4 > SCRATCH_B_BYTES) return false;
  const { batch, inChannels, inHeight, inWidth, outChannels, outHeight, outWidth } = shape;
  const taps = shape.kernelHeight * shape.kernelWidth;
  const [inputs, outputs] = [batch * inChannels * inHeight * inWidth, batch * outChannels * outHeight * outWidth];
  const space = new OperandSpace();
  const call = {
    shape, geometry: forwardGeometry(shape), placement,
    source: space.take(inputs), weights: space.take(outChannels * taps), bias: bias ? space.take(outChannels) : undefined,
    output: space.take(outputs), descriptor: space.take(layout.DESCRIPTOR_WORDS),
  };
  const copies: [number, Float32Array, number][] = [[call.source, x, inputs], [call.weights, w, outChannels * taps]];
  if (bias && call.bias !== undefined) copies.push([call.bias, bias, outChannels]);
  const base = copyIn(runtime, space, copies);
  if (base === undefined) return false;
  writeDescriptor(runtime, base, call);
  runPanels(runtime, { kind: layout.JOB_DW_DIRECT, descriptor: base + call.descriptor * 4, panels: batch * outChannels, work: outputs * taps });
  y.set(runtime.views().f32.subarray(base / 4 + call.output, base / 4 + call.output + outputs));
  return true;
}

/** dx: (N, C, H, W) of a depthwise conv with multiplier 1 (M = C = group), from dy: (N, C, oH, oW). */
export function wasmDepthwiseGradInput(shape: Conv2dShape, dy: Float32Array, w: Float32Array, dx: Float32Array): boolean {
  const runtime = getWasmRuntime();
  const { batch, inChannels: channels, inHeight, inWidth, outHeight, outWidth } = shape;
  const strided = shape.strideHeight > 1 || shape.strideWidth > 1;
  const phases = strided && shape.dilationHeight === 1 && shape.dilationWidth === 1 ? phaseProblems(shape, w) : [dilatedProblem(shape, w)];
  if (!runtime || shape.outChannels !== channels || phases.some((phase) => phase.placement.floats * 4 > SCRATCH_B_BYTES)) return false;
  const [gradients, inputs] = [batch * channels * outHeight * outWidth, batch * channels * inHeight * inWidth];
  const space = new OperandSpace();
  const source = space.take(gradients);
  const output = space.take(inputs);
  const calls = phases.map((phase) => ({
    ...phase, shape, source, bias: undefined, output: output + phase.outputOffset,
    weights: space.take(phase.kernel.length), descriptor: space.take(layout.DESCRIPTOR_WORDS),
  }));
  const base = copyIn(runtime, space, [[source, dy, gradients], ...calls.map((call): [number, Float32Array, number] => [call.weights, call.kernel, call.kernel.length])]);
  if (base === undefined) return false;
  // phases without taps leave their outputs zero
  if (strided) runtime.views().f32.fill(0, base / 4 + output, base / 4 + output + inputs);
  for (const call of calls) {
    writeDescriptor(runtime, base, call);
    const work = batch * channels * call.geometry.outH * call.geometry.outW * call.geometry.kernelH * call.geometry.kernelW;
    runPanels(runtime, { kind: layout.JOB_DW_DIRECT, descriptor: base + call.descriptor * 4, panels: batch * channels, work });
  }
  dx.set(runtime.views().f32.subarray(base / 4 + output, base / 4 + output + inputs));
  return true;
}

/** One direct-job problem of an input gradient: geometry, placement of dY, weights, where its outputs go. */
interface GradInputProblem {
  readonly geometry: DirectGeometry;
  readonly placement: PlanePlacement;
  /** (C, kernelH, kernelW) weights of the direct job. */
  readonly kernel: Float32Array;
  readonly outputOffset: number;
  readonly outRow?: number;
  readonly outPlane?: number;
  readonly outStep?: number;
}

/** Any stride and dilation: a stride-1 convolution of the zero-dilated dY with the flipped kernel. */
function dilatedProblem(shape: Conv2dShape, w: Float32Array): GradInputProblem {
  const { inHeight, inWidth, kernelHeight, kernelWidth } = shape;
  const geometry: DirectGeometry = { ...forwardGeometry(shape), outH: inHeight, outW: inWidth, strideH: 1, strideW: 1 };
  const placement = paddedPlane(geometry, {
    height: shape.outHeight, width: shape.outWidth, strideH: shape.strideHeight, strideW: shape.strideWidth,
    top: (kernelHeight - 1) * shape.dilationHeight - shape.padTop, left: (kernelWidth - 1) * shape.dilationWidth - shape.padLeft,
  });
  const weights = subKernel(shape, w, { kh0: 0, kw0: 0, rows: kernelHeight, columns: kernelWidth, stepH: 1, stepW: 1 });
  return { geometry, placement, kernel: weights, outputOffset: 0 };
}

/**
 * Stride s, dilation 1: output phase (ph, pw) = dX[s·i + ph, s·j + pw] only sees the taps
 * kh ≡ ph + padTop (mod sH) (and likewise kw): a stride-1 convolution of dY with that sub-kernel,
 * flipped, whose outputs land sH·W apart by rows and sW apart by columns.
 */
function phaseProblems(shape: Conv2dShape, w: Float32Array): GradInputProblem[] {
  const { strideHeight: sH, strideWidth: sW, inHeight, inWidth, kernelHeight, kernelWidth } = shape;
  const problems: GradInputProblem[] = [];
  for (let ph = 0; ph < Math.min(sH, inHeight); ph++) {
    for (let pw = 0; pw < Math.min(sW, inWidth); pw++) {
      const kh0 = (ph + shape.padTop) % sH;
      const kw0 = (pw + shape.padLeft) % sW;
      const rows = kh0 < kernelHeight ? Math.ceil((kernelHeight - kh0) / sH) : 0;
      const columns = kw0 < kernelWidth ? Math.ceil((kernelWidth - kw0) / sW) : 0;
      if (rows === 0 || columns === 0) continue;
      const geometry: DirectGeometry = {
        outH: Math.ceil((inHeight - ph) / sH), outW: Math.ceil((inWidth - pw) / sW),
        strideH: 1, strideW: 1, dilationH: 1, dilationW: 1, kernelH: rows, kernelW: columns,
      };
      // dY row i + (ph + padTop − kh0)/sH − a feeds output row i through tap kh0 + sH·a
      const top = rows - 1 - (ph + shape.padTop - kh0) / sH;
      const left = columns - 1 - (pw + shape.padLeft - kw0) / sW;
      const placement = paddedPlane(geometry, { height: shape.outHeight, width: shape.outWidth, top, left, strideH: 1, strideW: 1 });
      const weights = subKernel(shape, w, { kh0, kw0, rows, columns, stepH: sH, stepW: sW });
      problems.push({ geometry, placement, kernel: weights, outputOffset: ph * inWidth + pw, outRow: sH * inWidth, outPlane: inHeight * inWidth, outStep: sW });
    }
  }
  return problems;
}

/** Per channel, the flipped taps w[c, kh0 + stepH·a, kw0 + stepW·b] as a (rows, columns) kernel: w'[a', b'] = w[…(rows − 1 − a')…, …(columns − 1 − b')…]. */
function subKernel(shape: Conv2dShape, w: Float32Array, taps: { kh0: number; kw0: number; rows: number; columns: number; stepH: number; stepW: number }): Float32Array {
  const { rows, columns } = taps;
  const channels = shape.inChannels;
  const size = shape.kernelHeight * shape.kernelWidth;
  const kernel = new Float32Array(channels * rows * columns);
  for (let channel = 0; channel < channels; channel++) {
    for (let a = 0; a < rows; a++) {
      for (let b = 0; b < columns; b++) {
        const kh = taps.kh0 + taps.stepH * (rows - 1 - a);
        const kw = taps.kw0 + taps.stepW * (columns - 1 - b);
        kernel[(channel * rows + a) * columns + b] = w[channel * size + kh * shape.kernelWidth + kw] as number;
      }
    }
  }
  return kernel;
}

/** dw: (M, 1, kH, kW) of a depthwise conv (M a multiple of C = group) from x: (N, C, H, W) and dy: (N, M, oH, oW). */
export function wasmDepthwiseGradWeight(shape: Conv2dShape, x: Float32Array, dy: Float32Array, dw: Float32Array): boolean {
  const runtime = getWasmRuntime();
  const placement = inputPlacement(shape);
  const { batch, inChannels, inHeight, inWidth, outChannels, outHeight, outWidth } = shape;
  const gradientPlane = outHeight * 4 * Math.ceil(outWidth / 4);
  if (!runtime || (placement.floats + gradientPlane) * 4 > SCRATCH_B_BYTES) return false;
  const taps = shape.kernelHeight * shape.kernelWidth;
  const [inputs, gradients] = [batch * inChannels * inHeight * inWidth, batch * outChannels * outHeight * outWidth];
  const space = new OperandSpace();
  const call = {
    shape, geometry: forwardGeometry(shape), placement, source: space.take(inputs), weights: 0, bias: undefined,
    output: space.take(outChannels * taps), descriptor: space.take(layout.DESCRIPTOR_WORDS),
  };
  const gradient = space.take(gradients);
  const base = copyIn(runtime, space, [[call.source, x, inputs], [gradient, dy, gradients]]);
  if (base === undefined) return false;
  writeDescriptor(runtime, base, call);
  runtime.views().i32[base / 4 + call.descriptor + layout.D_GRADIENT] = base + gradient * 4;
  runPanels(runtime, { kind: layout.JOB_DW_GRAD_WEIGHT, descriptor: base + call.descriptor * 4, panels: outChannels, work: gradients * taps });
  dw.set(runtime.views().f32.subarray(base / 4 + call.output, base / 4 + call.output + outChannels * taps));
  return true;
}
