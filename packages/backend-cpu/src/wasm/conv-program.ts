// A float32 2-D convolution prepared for the WebAssembly kernels (assembly/conv-f32.ts,
// winograd-f32.ts, winograd4-f32.ts, depthwise-f32.ts): which algorithm runs it, its weights
// packed for that kernel (Winograd: transformed, U = G g Gᵀ, in float64), the depth offsets of
// the implicit GEMM, and the padded-input geometry. Pure host-side data; wasm-conv.ts runs it.
import type { Conv2dShape } from '../fast/conv2d.js';
import * as conv from './conv-layout.js';
import { F32_MICRO_ROWS as MR, SCRATCH_A_BYTES } from './job-layout.js';

/** What runs after the sum: activation, then an optional fused 2 × 2 / stride 2 max pool (floor mode). */
export interface ConvEpilogue {
  readonly activation?: 'none' | 'relu' | { readonly clipMin: number; readonly clipMax: number };
  readonly pool?: boolean;
}

/** Where the kernel writes: element strides of the output tensor (default: dense NCHW of its shape). */
export interface ConvOutputLayout {
  readonly imageStride: number;
  readonly planeStride: number;
  readonly rowStride: number;
  /** Elements from the start of the buffer to image 0, channel 0, row 0, column 0. */
  readonly offset: number;
}

/**
 * implicit-gemm: any geometry; winograd / winograd4: F(2 × 2, 3 × 3) / F(4 × 4, 3 × 3) for
 * 3 × 3 / stride 1 / ungrouped convolutions (F(4 × 4) multiplies less, with a few times
 * F(2 × 2)'s rounding error); depthwise: one input channel per group, no fused pool (direct loops).
 */
export type ConvAlgorithm = 'implicit-gemm' | 'winograd' | 'winograd4' | 'depthwise';

export interface ConvProgram {
  readonly shape: Conv2dShape;
  readonly epilogue: ConvEpilogue;
  readonly algorithm: ConvAlgorithm;
  /** GEMM depth: C/group · kH · kW (implicit GEMM, depthwise) or C (Winograd). */
  readonly depth: number;
  readonly outPerGroup: number;
  /**
   * Per group (implicit GEMM) or per tile position ξ (Winograd), ceil(outPerGroup / 2) panels of
   * (depth, 2) weights; depthwise: the weights as stored (M, 1, kH, kW).
   */
  readonly packedWeights: Float32Array;
  readonly depthOffsets: Int32Array;
  readonly bias: Float32Array | undefined;
  readonly paddedHeight: number;
  readonly paddedWidth: number;
  /** Floats readable after the padded input (quads of the last row read past it). */
  readonly inputSlack: number;
  /** Output spatial size after the optional pool. */
  readonly resultHeight: number;
  readonly resultWidth: number;
}

/** The strip of accumulators lives in the thread's packed-A scratch: 64 bytes per output channel. */
const MAX_OUT_PER_GROUP = SCRATCH_A_BYTES / 64 - MR;
/** Floats of slack after a padded input, at least: Winograd quads read past the last row. */
const INPUT_SLACK = 64;
/** Winograd keeps (up to) 36 · C · 16 floats of transformed input per thread in the packed-B scratch (2 MiB). */
const MAX_WINOGRAD_CHANNELS = 768;
/** Fewer input channels than this: the implicit GEMM (Winograd's 16 GEMMs would have a tiny depth). */
const MIN_WINOGRAD_CHANNELS = 4;

/** Whether the depthwise kernel applies: one input channel per group (any multiplier), no pool. */
export function depthwiseApplies(shape: Conv2dShape, epilogue: ConvEpilogue = {}): boolean {
  return shape.group > 1 && shape.group === shape.inChannels && !epilogue.pool;
}

/** Whether Winograd F(2 × 2, 3 × 3) applies: 3 × 3, stride 1, dilation 1, one group, 4-1024 channels. */
export function winogradApplies(shape: Conv2dShape): boolean {
  return (
    shape.kernelHeight === 3 && shape.kernelWidth === 3 && shape.strideHeight === 1 && shape.strideWidth === 1 &&
    shape.dilationHeight === 1 && shape.dilationWidth === 1 && shape.group === 1 &&
    shape.inChannels >= MIN_WINOGRAD_CHANNELS && shape.inChannels <= MAX_WINOGRAD_CHANNELS
  );
}

/** Whether the kernel handles this convolution (else callers use the im2col path). */
export function wasmConvSupports(shape: Conv2dShape, epilogue: ConvEpilogue = {}): boolean {
  const outPerGroup = shape.outChannels / shape.group;
  if (outPerGroup > MAX_OUT_PER_GROUP || shape.outHeight <= 0 || shape.outWidth <= 0 || shape.batch <= 0) return false;
  return !epilogue.pool || (shape.outHeight >= 2 && shape.outWidth >= 2);
}

/** Packs weights (M, C/group, kH, kW) for the kernel and precomputes the depth offsets. */
export function createConvProgram(
  shape: Conv2dShape,
  weights: Float32Array,
  bias: Float32Array | undefined,
  epilogue: ConvEpilogue = {},
  algorithm: ConvAlgorithm | 'auto' = 'auto',
): ConvProgram {
  const depthwise = algorithm === 'depthwise' || (algorithm === 'auto' && depthwiseApplies(shape, epilogue));
  const winograd4 = algorithm === 'winograd4';
  const winograd = winograd4 || algorithm === 'winograd' || (algorithm === 'auto' && !depthwise && winogradApplies(shape));
  const tile = winograd4 ? 4 : 2; // Winograd output tile: reads (tile + 2)-wide input tiles
  const outPerGroup = shape.outChannels / shape.group;
  // tall / wide enough for every window (rows past the input are the bottom / right padding);
  // Winograd reads whole 4 × 4 tiles: 2 · tiles + 2
  const windowsHeight = (shape.outHeight - 1) * shape.strideHeight + (shape.kernelHeight - 1) * shape.dilationHeight + 1;
  const windowsWidth = (shape.outWidth - 1) * shape.strideWidth + (shape.kernelWidth - 1) * shape.dilationWidth + 1;
  const paddedHeight = Math.max(shape.padTop + shape.inHeight, winograd ? tile * Math.ceil(shape.outHeight / tile) + 2 : windowsHeight);
  const paddedWidth = Math.max(shape.padLeft + shape.inWidth, winograd ? tile * Math.ceil(shape.outWidth / tile) + 2 : windowsWidth);
  const pool = epilogue.pool ?? false;
  const inputSlack = Math.max(INPUT_SLACK, 16 * shape.strideWidth + (shape.kernelWidth - 1) * shape.dilationWidth + 16);
  const common = {
    shape, epilogue, outPerGroup, bias, paddedHeight, paddedWidth, inputSlack,
    resultHeight: pool ? Math.floor(shape.outHeight / 2) : shape.outHeight,
    resultWidth: pool ? Math.floor(shape.outWidth / 2) : shape.outWidth,
  };
  if (depthwise) {
    const depth = shape.kernelHeight * shape.kernelWidth;
    return { ...common, algorithm: 'depthwise', depth, packedWeights: weights.slice(0, shape.outChannels * depth), depthOffsets: new Int32Array(0) };
  }
  if (winograd) {
    const packedWeights = packWinogradWeights(shape, weights, winograd4 ? WINOGRAD4_G : WINOGRAD_G);
    return { ...common, algorithm: winograd4 ? 'winograd4' : 'winograd', depth: shape.inChannels, packedWeights, depthOffsets: new Int32Array(0) };
  }
  const channelsPerGroup = shape.inChannels / shape.group;
  const depth = channelsPerGroup * shape.kernelHeight * shape.kernelWidth;
  const rowPanels = Math.ceil(outPerGroup / MR);
  const packedWeights = new Float32Array(shape.group * rowPanels * depth * MR);
  for (let group = 0; group < shape.group; group++) {
    for (let m = 0; m < outPerGroup; m++) {
      const source = (group * outPerGroup + m) * depth;
      const panelBase = (group * rowPanels + Math.floor(m / MR)) * depth * MR + (m % MR);
      for (let p = 0; p < depth; p++) packedWeights[panelBase + p * MR] = weights[source + p] as number;
    }
  }
  const depthOffsets = new Int32Array(depth);
  let index = 0;
  for (let c = 0; c < channelsPerGroup; c++) {
    for (let kh = 0; kh < shape.kernelHeight; kh++) {
      for (let kw = 0; kw < shape.kernelWidth; kw++) {
        depthOffsets[index++] = c * paddedHeight * paddedWidth + kh * shape.dilationHeight * paddedWidth + kw * shape.dilationWidth;
      }
    }
  }
  return { ...common, algorithm: 'implicit-gemm', depth, packedWeights, depthOffsets };
}

/** G of F(2 × 2, 3 × 3): U = G g Gᵀ (4 × 4) per (output, input) channel. */
const WINOGRAD_G: readonly (readonly number[])[] = [[1, 0, 0], [0.5, 0.5, 0.5], [0.5, -0.5, 0.5], [0, 0, 1]];
/** G of F(4 × 4, 3 × 3) (points 0, ±1, ±2): U = G g Gᵀ (6 × 6). */
const WINOGRAD4_G: readonly (readonly number[])[] = [
  [1 / 4, 0, 0], [-1 / 6, -1 / 6, -1 / 6], [-1 / 6, 1 / 6, -1 / 6], [1 / 24, 1 / 12, 1 / 6], [1 / 24, -1 / 12, 1 / 6], [0, 0, 1],
];

/** U = G g Gᵀ packed per ξ = size · i + j: ceil(M / 2) panels of (C, 2), rows zero-padded; computed in float64. */
function packWinogradWeights(shape: Conv2dShape, weights: Float32Array, g: readonly (readonly number[])[]): Float32Array {
  const { inChannels: channels, outChannels: outputs } = shape;
  const size = g.length;
  const positions = size * size;
  const rowPanels = Math.ceil(outputs / MR);
  const packed = new Float32Array(positions * rowPanels * channels * MR);
  const gg = new Float64Array(size * 3); // G g for one kernel: (size, 3)
  for (let m = 0; m < outputs; m++) {
    for (let c = 0; c < channels; c++) {
      const kernel = ((m * channels + c) * 3) * 3;
      for (let i = 0; i < size; i++) {
        for (let b = 0; b < 3; b++) {
          let sum = 0;
          for (let a = 0; a < 3; a++) sum += (g[i] as readonly number[])[a]! * (weights[kernel + a * 3 + b] as number);
          gg[i * 3 + b] = sum;
        }
      }
      for (let i = 0; i < size; i++) {
        for (let j = 0; j < size; j++) {
          let sum = 0;
          for (let b = 0; b < 3; b++) sum += (gg[i * 3 + b] as number) * (g[j] as readonly number[])[b]!;
          packed[(((i * size + j) * rowPanels + Math.floor(m / MR)) * channels + c) * MR + (m % MR)] = sum;
        }
      }
    }
  }
  return packed;
}

/** Bytes of the resident constants (packed weights, depth offsets, bias, descriptor), 16-aligned each. */
export function convConstantBytes(program: ConvProgram): number {
  return align16(program.packedWeights.length * 4) + align16(program.depthOffsets.length * 4) + align16(program.shape.outChannels * 4) + align16(conv.DESCRIPTOR_WORDS * 4);
}

/** Bytes of the padded input of one call (with slack). */
export function paddedInputBytes(program: ConvProgram): number {
  const { batch, inChannels } = program.shape;
  return align16((batch * inChannels * program.paddedHeight * program.paddedWidth + program.inputSlack) * 4);
}

export const align16 = (bytes: number): number => Math.ceil(bytes / 16) * 16;

/** Dense layout of the program's result (N, M, resultHeight, resultWidth) at element 0. */
export function denseOutputLayout(program: ConvProgram): ConvOutputLayout {
  const plane = program.resultHeight * program.resultWidth;
  return { imageStride: program.shape.outChannels * plane, planeStride: plane, rowStride: program.resultWidth, offset: 0 };
}

/** Whether the program needs a padding pass (any nonzero pad). */
export function needsPadding(program: ConvProgram): boolean {
  return program.paddedHeight !== program.shape.inHeight || program.paddedWidth !== program.shape.inWidth;
}
