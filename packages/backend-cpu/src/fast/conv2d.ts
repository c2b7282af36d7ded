// Fast float32 2-D convolution and its gradients. Forward: the WebAssembly implicit-GEMM kernel
// (src/wasm/wasm-conv.ts) when loaded, else im2col + GEMM. Gradients, and the forward fallback:
// im2col + GEMM over chunks of images (one GEMM per (chunk, group) with N = images·oH·oW, so the
// WebAssembly GEMM gets problems large enough to split across threads), a copy-free path for
// single 1×1/stride-1/unpadded images and a direct loop for depthwise forward.
// Oracles: kernels/convolution/conv-reference.ts (forward) and finite differences (gradients);
// fast/conv2d.test.ts checks every path against naive loops written there.
import { type ChannelBlock, type Conv2dOptions, type ImageChunk, channelScratch, columnScratch, gatherChannels, planChunks, scatterChannels } from './conv-batching.js';
import { sgemm } from './gemm.js';
import { type Conv2dGeometry, col2im, im2col, isPointwise } from './im2col.js';
import { wasmConv2d } from '../wasm/wasm-conv.js';

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
  if (size.patchSize * shape.outChannels * size.outPlane * shape.batch >= WASM_CONV_MIN_WORK && wasmConv2d({ shape, x, weights: w, bias, y })) return;
  if (size.channelsPerGroup === 1 && shape.group > 1) {
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

/** Depthwise (C/group = 1): each output channel m reads input channel ⌊m / (M/group)⌋. */
function depthwiseForward(shape: Conv2dShape, x: Float32Array, w: Float32Array, bias: Float32Array | undefined, y: Float32Array): void {
  const { outPerGroup, outPlane, inPlane } = sizes(shape);
  const { inHeight, inWidth, kernelHeight, kernelWidth, outHeight, outWidth } = shape;
  for (let n = 0; n < shape.batch; n++) {
    for (let m = 0; m < shape.outChannels; m++) {
      const xBase = (n * shape.inChannels + Math.floor(m / outPerGroup)) * inPlane;
      const wBase = m * kernelHeight * kernelWidth;
      const start = bias ? (bias[m] as number) : 0;
      let target = (n * shape.outChannels + m) * outPlane;
      for (let oh = 0; oh < outHeight; oh++) {
        for (let ow = 0; ow < outWidth; ow++) {
          let sum = 0;
          for (let kh = 0; kh < kernelHeight; kh++) {
            const ih = oh * shape.strideHeight - shape.padTop + kh * shape.dilationHeight;
            if (ih < 0 || ih >= inHeight) continue;
            for (let kw = 0; kw < kernelWidth; kw++) {
              const iw = ow * shape.strideWidth - shape.padLeft + kw * shape.dilationWidth;
              if (iw < 0 || iw >= inWidth) continue;
              sum += (x[xBase + ih * inWidth + iw] as number) * (w[wBase + kh * kernelWidth + kw] as number);
            }
          }
          y[target++] = sum + start;
        }
      }
    }
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
  const size = sizes(shape);
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
  const size = sizes(shape);
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
