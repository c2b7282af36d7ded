// Fast float32 2-D convolution and its gradients. Forward: the WebAssembly implicit-GEMM kernel
// (src/wasm/wasm-conv.ts) when loaded, else im2col + GEMM; depthwise convolutions on the direct
// WebAssembly kernel (src/wasm/wasm-depthwise-train.ts); plain 1 × 1 convolutions without bias as
// one GEMM in the memory (src/wasm/wasm-pointwise.ts). Gradients: depthwise convolutions (one
// input channel per group) on the direct kernels of fast/depthwise.ts; the input gradient of
// other stride-1 convolutions as a forward convolution on the WebAssembly kernels
// (fast/grad-input-as-conv.ts); the weight gradient as im2col + GEMM inside the WebAssembly memory
// (src/wasm/wasm-conv-grad-weight.ts). The fallback of all of them: im2col + GEMM over chunks of
// images (one GEMM per (chunk, group) with N = images·oH·oW, so the WebAssembly GEMM gets
// problems large enough to split across threads) and a copy-free path for single
// 1×1/stride-1/unpadded images; depthwise: the TypeScript loops of fast/depthwise.ts.
// Oracles: kernels/convolution/conv-reference.ts (forward) and finite differences (gradients);
// fast/conv2d.test.ts checks every path against naive loops written there.
import { type ChannelBlock, type Conv2dOptions, type ImageChunk, channelScratch, columnScratch, gatherChannels, planChunks, scatterChannels } from './conv-batching.js';
import { sgemm } from './gemm.js';
import { type Conv2dGeometry, col2im, im2col, isPointwise } from './im2col.js';
import { wasmConv2d } from '../wasm/wasm-conv.js';
import { wasmConvGradWeight } from '../wasm/wasm-conv-grad-weight.js';
import { wasmDepthwiseForward } from '../wasm/wasm-depthwise-train.js';
import { wasmPointwise } from '../wasm/wasm-pointwise.js';
import { gradInputAsConv } from './grad-input-as-conv.js';
import { depthwiseForward, depthwiseGradInput, depthwiseGradWeight, isDepthwise } from './depthwise.js';

/** Multiply-adds from which the forward pass runs on the WebAssembly implicit-GEMM kernel. */
const WASM_CONV_MIN_WORK = 4096;

export type { Conv2dOptions } from './conv-batching.js';

export interface Conv2dShape extends Conv2dGeometry {
  readonly batch: number;
  readonly inChannels: number;
  readonly outChannels: number;
  readonly group: number;
}

function sizes(shape: Conv2dShape) {
  const channelsPerGroup = shape.inChannels / shape.group;
  const outPerGroup = shape.outChannels / shape.group;
  return {
    channelsPerGroup,
    outPerGroup,
    patchSize: channelsPerGroup * shape.kernelHeight * shape.kernelWidth,
    outPlane: shape.outHeight * shape.outWidth,
    inPlane: shape.inHeight * shape.inWidth,
  };
}

type Sizes = ReturnType<typeof sizes>;

/** Chunks whose columns (patch, images·oH·oW) plus (M/group, images·oH·oW) fit the budget. */
function chunksOf(shape: Conv2dShape, size: Sizes, options: Conv2dOptions | undefined): ImageChunk[] {
  const floatsPerImage = (size.patchSize + size.outPerGroup) * size.outPlane;
  return planChunks({ batch: shape.batch, floatsPerImage, budget: options?.maxScratchFloats });
}

/** cols: (patch, count·oH·oW) ← im2col of group g's channels for every image in the chunk. */
function fillColumns(shape: Conv2dShape, size: Sizes, x: Float32Array, chunk: ImageChunk, g: number): Float32Array {
  const ld = chunk.count * size.outPlane;
  const cols = columnScratch(size.patchSize * ld);
  for (let image = 0; image < chunk.count; image++) {
    const imageOffset = ((chunk.first + image) * shape.inChannels + g * size.channelsPerGroup) * size.inPlane;
    im2col({ geometry: shape, channels: size.channelsPerGroup, image: x, imageOffset, cols, colsOffset: image * size.outPlane, ld });
  }
  return cols;
}

function outputBlock(shape: Conv2dShape, size: Sizes, tensor: Float32Array, chunk: ImageChunk, g: number): ChannelBlock {
  return { tensor, totalChannels: shape.outChannels, channel0: g * size.outPerGroup, channels: size.outPerGroup, plane: size.outPlane, chunk };
}

/** y: (N, M, oH, oW) = conv(x: (N, C, H, W), w: (M, C/group, kH, kW)) + bias: (M). */
export function conv2dForward(shape: Conv2dShape, x: Float32Array, w: Float32Array, bias: Float32Array | undefined, y: Float32Array, options?: Conv2dOptions): void {
  const size = sizes(shape);
  const large = size.patchSize * shape.outChannels * size.outPlane * shape.batch >= WASM_CONV_MIN_WORK;
  const depthwise = isDepthwise(shape) && shape.group > 1;
  // depthwise: the direct kernel (its 2 × 8 / 4 × 4 blocks waste fewer lanes on narrow planes than wasmConv2d's 16-wide rows)
  if (large && depthwise && wasmDepthwiseForward(shape, x, w, bias, y)) return;
  // a plain 1 × 1 channel mix: one GEMM over all images (gather, GEMM, scatter inside the memory)
  if (large && !bias && wasmPointwise(shape, x, w, y)) return;
  if (large && wasmConv2d({ shape, x, weights: w, bias, y })) return;
  if (depthwise) {
    depthwiseForward(shape, x, w, bias, y);
    return;
  }
  const { outPerGroup, patchSize, outPlane } = size;
  for (const chunk of chunksOf(shape, size, options)) {
    for (let g = 0; g < shape.group; g++) {
      const block = outputBlock(shape, size, y, chunk, g);
      const gemm = { m: outPerGroup, n: chunk.count * outPlane, k: patchSize, a: w, aOffset: g * outPerGroup * patchSize };
      if (chunk.count === 1) {
        // one image: GEMM straight into y (and straight from x when pointwise)
        const xOffset = (chunk.first * shape.inChannels + g * size.channelsPerGroup) * size.inPlane;
        const direct = isPointwise(shape);
        const b = direct ? x : fillColumns(shape, size, x, chunk, g);
        sgemm({ ...gemm, b, bOffset: direct ? xOffset : 0, c: y, cOffset: (chunk.first * shape.outChannels + g * outPerGroup) * outPlane });
        if (bias) addBias(block, bias);
        continue;
      }
      const cols = fillColumns(shape, size, x, chunk, g);
      const out = channelScratch(outPerGroup * chunk.count * outPlane);
      sgemm({ ...gemm, b: cols, c: out });
      scatterChannels(block, out, bias);
    }
  }
}

/** tensor block += bias[channel0 + c] (block of a single image). */
function addBias(block: ChannelBlock, bias: Float32Array): void {
  const { tensor, totalChannels, channel0, channels, plane, chunk } = block;
  for (let channel = 0; channel < channels; channel++) {
    const value = bias[channel0 + channel] as number;
    const base = (chunk.first * totalChannels + channel0 + channel) * plane;
    for (let index = base; index < base + plane; index++) tensor[index] = (tensor[index] as number) + value;
  }
}

/** dy rows of group g for the chunk as a (M/group, count·oH·oW) matrix: dy itself for one image. */
function gradientRows(shape: Conv2dShape, size: Sizes, dy: Float32Array, chunk: ImageChunk, g: number): { data: Float32Array; offset: number } {
  if (chunk.count === 1) return { data: dy, offset: (chunk.first * shape.outChannels + g * size.outPerGroup) * size.outPlane };
  const gathered = channelScratch(size.outPerGroup * chunk.count * size.outPlane);
  gatherChannels(outputBlock(shape, size, dy, chunk, g), gathered);
  return { data: gathered, offset: 0 };
}

/** dx: (N, C, H, W) = convᵀ(dy: (N, M, oH, oW), w) — per (chunk, group) cols = Wᵀ·dY, then col2im per image. */
export function conv2dGradInput(shape: Conv2dShape, dy: Float32Array, w: Float32Array, dx: Float32Array, options?: Conv2dOptions): void {
  const depthwise = isDepthwise(shape);
  if (depthwise && shape.outChannels === shape.inChannels) {
    depthwiseGradInput(shape, dy, w, dx);
    return;
  }
  const size = sizes(shape);
  if (size.patchSize * shape.outChannels * size.outPlane * shape.batch >= WASM_CONV_MIN_WORK && gradInputAsConv(shape, dy, w, dx)) return;
  if (depthwise) {
    depthwiseGradInput(shape, dy, w, dx);
    return;
  }
  const { channelsPerGroup, outPerGroup, patchSize, outPlane, inPlane } = size;
  dx.fill(0);
  for (const chunk of chunksOf(shape, size, options)) {
    for (let g = 0; g < shape.group; g++) {
      const rows = gradientRows(shape, size, dy, chunk, g);
      const ld = chunk.count * outPlane;
      const gemm = { m: patchSize, n: ld, k: outPerGroup, a: w, aOffset: g * outPerGroup * patchSize, transA: true, lda: patchSize, b: rows.data, bOffset: rows.offset };
      const firstOffset = (chunk.first * shape.inChannels + g * channelsPerGroup) * inPlane;
      if (chunk.count === 1 && isPointwise(shape)) {
        sgemm({ ...gemm, c: dx, cOffset: firstOffset });
        continue;
      }
      const cols = columnScratch(patchSize * ld);
      sgemm({ ...gemm, c: cols });
      for (let image = 0; image < chunk.count; image++) {
        const imageOffset = ((chunk.first + image) * shape.inChannels + g * channelsPerGroup) * inPlane;
        col2im({ geometry: shape, channels: channelsPerGroup, image: dx, imageOffset, cols, colsOffset: image * outPlane, ld });
      }
    }
  }
}

/** dw: (M, C/group, kH, kW) = Σ_chunks dY(M/group, count·oH·oW) · colsᵀ per group. */
export function conv2dGradWeight(shape: Conv2dShape, x: Float32Array, dy: Float32Array, dw: Float32Array, options?: Conv2dOptions): void {
  if (isDepthwise(shape)) {
    depthwiseGradWeight(shape, x, dy, dw);
    return;
  }
  const size = sizes(shape);
  if (size.patchSize * shape.outChannels * size.outPlane * shape.batch >= WASM_CONV_MIN_WORK && wasmConvGradWeight(shape, x, dy, dw, options)) return;
  const { channelsPerGroup, outPerGroup, patchSize, outPlane, inPlane } = size;
  dw.fill(0);
  for (const chunk of chunksOf(shape, size, options)) {
    for (let g = 0; g < shape.group; g++) {
      const ld = chunk.count * outPlane;
      const direct = chunk.count === 1 && isPointwise(shape);
      const xOffset = (chunk.first * shape.inChannels + g * channelsPerGroup) * inPlane;
      const cols = direct ? x : fillColumns(shape, size, x, chunk, g);
      const rows = gradientRows(shape, size, dy, chunk, g);
      sgemm({
        m: outPerGroup, n: patchSize, k: ld,
        a: rows.data, aOffset: rows.offset,
        b: cols, bOffset: direct ? xOffset : 0, transB: true, ldb: ld,
        c: dw, cOffset: g * outPerGroup * patchSize,
        beta: 1,
      });
    }
  }
}
