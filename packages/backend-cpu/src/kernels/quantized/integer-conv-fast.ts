// The fast path of ConvInteger / QLinearConv: 8-bit im2col + the int8 GEMM (WebAssembly SIMD
// with int32 accumulation when loaded), over chunks of images so the column buffer stays small.
// Each chunk hands its int32 accumulations, laid out (M, images·oH·oW), to a consumer that
// writes the real output (requantized for QLinearConv). Applies to 1-D / 2-D convolutions with a
// per-tensor input zero point and one weight zero point shared by all output channels; the
// readable loop in integer-conv.ts handles the rest and is this path's oracle.
// reference: https://onnx.ai/onnx/operators/onnx__ConvInteger.html
import type { TensorData } from '@efficientdl/ir';
import { int8Gemm } from '../../wasm/int8-gemm.js';
import type { ConvSetup } from '../convolution/conv-setup.js';
import { type ByteArray, type ByteConvGeometry, im2colBytes, isPointwiseBytes } from './integer-im2col.js';

export interface FastConvProblem {
  readonly setup: ConvSetup;
  readonly x: TensorData;
  readonly w: TensorData;
  readonly xZero: number;
  readonly wZero: number;
}

export interface AccumulatorChunk {
  /**
   * int32 sums Σ (x − xZero)(w − wZero), bias excluded: (M, images·oH·oW), or (images, M) when
   * `imagesMajor` (a 1×1 convolution over 1×1 images: a fully connected layer).
   */
  readonly accumulators: Int32Array;
  readonly firstImage: number;
  readonly images: number;
  readonly imagesMajor?: boolean;
}

/** Upper bounds on the per-chunk buffers (elements). */
const MAX_COLUMN_BYTES = 8 * 1024 * 1024;
const MAX_ACCUMULATORS = 2 * 1024 * 1024;

/** The single zero point of a per-tensor or uniform per-channel zero-point tensor, else undefined. */
export function uniformZeroPoint(zeroPoint: TensorData | undefined): number | undefined {
  if (!zeroPoint) return 0;
  const values = zeroPoint.data as Int8Array | Uint8Array;
  const first = values.length > 0 ? (values[0] as number) : 0;
  for (let index = 1; index < values.length; index++) if (values[index] !== first) return undefined;
  return first;
}

function byteGeometry(setup: ConvSetup): ByteConvGeometry | undefined {
  const g = setup.geometry;
  const rank = g.inputSize.length;
  if (rank !== 1 && rank !== 2) return undefined;
  const pick = (values: readonly number[], fill: number): [number, number] => (rank === 2 ? [values[0] as number, values[1] as number] : [fill, values[0] as number]);
  const [inHeight, inWidth] = pick(g.inputSize, 1);
  const [kernelHeight, kernelWidth] = pick(g.kernelSize, 1);
  const [strideHeight, strideWidth] = pick(g.strides, 1);
  const [dilationHeight, dilationWidth] = pick(g.dilations, 1);
  const [padTop, padLeft] = pick(g.padsBegin, 0);
  const [outHeight, outWidth] = pick(g.outputSize, 1);
  return { inHeight, inWidth, kernelHeight, kernelWidth, strideHeight, strideWidth, padTop, padLeft, dilationHeight, dilationWidth, outHeight, outWidth };
}

/** True when the fast path can run this problem. */
export function fastConvApplies(setup: ConvSetup, x: TensorData, w: TensorData): boolean {
  const bytes = (tensor: TensorData) => tensor.data instanceof Int8Array || tensor.data instanceof Uint8Array;
  return bytes(x) && bytes(w) && byteGeometry(setup) !== undefined && setup.batch > 0;
}

const transposedWeights = new WeakMap<ByteArray, ByteArray>();

/** W (M, C) → Wᵀ (C, M), cached per weight buffer (weights are constant initializers). */
function transposedWeight(w: ByteArray, rows: number, cols: number): ByteArray {
  const cached = transposedWeights.get(w);
  if (cached) return cached;
  const out = w instanceof Int8Array ? new Int8Array(w.length) : new Uint8Array(w.length);
  for (let row = 0; row < rows; row++) for (let col = 0; col < cols; col++) out[col * rows + row] = w[row * cols + col] as number;
  transposedWeights.set(w, out);
  return out;
}

/** 1×1 convolution of 1×1 images = a fully connected layer: X (N, C) · Wᵀ (C, M), no im2col. */
function fullyConnected(problem: FastConvProblem, consume: (chunk: AccumulatorChunk) => void): void {
  const { setup, xZero, wZero } = problem;
  const [rows, depth, cols] = [setup.batch, setup.inChannels, setup.outChannels];
  const b = transposedWeight(problem.w.data as ByteArray, cols, depth);
  const accumulators = int8Gemm({ m: rows, n: cols, k: depth, a: problem.x.data as ByteArray, aZeroPoint: xZero, b, bZeroPoint: wZero });
  consume({ accumulators, firstImage: 0, images: rows, imagesMajor: true });
}

/** Runs the convolution chunk by chunk, calling `consume` with each chunk's accumulations. */
export function integerConvChunks(problem: FastConvProblem, consume: (chunk: AccumulatorChunk) => void): void {
  const { setup, xZero, wZero } = problem;
  const geometry = byteGeometry(setup) as ByteConvGeometry;
  if (setup.group === 1 && isPointwiseBytes(geometry) && geometry.outHeight * geometry.outWidth === 1) {
    fullyConnected(problem, consume);
    return;
  }
  const x = problem.x.data as ByteArray;
  const w = problem.w.data as ByteArray;
  // x: (N, C, H, W), w: (M, C/group, kH, kW)
  const channelsPerGroup = setup.inChannels / setup.group;
  const outPerGroup = setup.outChannels / setup.group;
  const depth = channelsPerGroup * geometry.kernelHeight * geometry.kernelWidth;
  const positions = geometry.outHeight * geometry.outWidth;
  const imageSize = setup.inChannels * geometry.inHeight * geometry.inWidth;
  const perImage = Math.max(depth * positions, 1);
  const imagesPerChunk = Math.max(1, Math.min(setup.batch, Math.floor(MAX_COLUMN_BYTES / perImage), Math.floor(MAX_ACCUMULATORS / Math.max(setup.outChannels * positions, 1))));
  const ColumnArray = x instanceof Int8Array ? Int8Array : Uint8Array;
  const cols = new ColumnArray(depth * imagesPerChunk * positions);
  const accumulators = new Int32Array(setup.outChannels * imagesPerChunk * positions);
  for (let firstImage = 0; firstImage < setup.batch; firstImage += imagesPerChunk) {
    const images = Math.min(imagesPerChunk, setup.batch - firstImage);
    const ld = images * positions;
    for (let group = 0; group < setup.group; group++) {
      for (let image = 0; image < images; image++) {
        const imageOffset = (firstImage + image) * imageSize + group * channelsPerGroup * geometry.inHeight * geometry.inWidth;
        im2colBytes({ geometry, channels: channelsPerGroup, image: x, imageOffset, cols, colsOffset: image * positions, ld, padValue: xZero });
      }
      // C[group rows] (outPerGroup, ld) = (W[group] − wZero) · (cols − xZero)
      int8Gemm({
        m: outPerGroup, n: ld, k: depth,
        a: w, aOffset: group * outPerGroup * depth, aZeroPoint: wZero,
        b: cols, ldb: ld, bZeroPoint: xZero,
        c: accumulators, cOffset: group * outPerGroup * ld, ldc: ld,
      });
    }
    consume({ accumulators: accumulators.subarray(0, setup.outChannels * ld), firstImage, images });
  }
}
