// Fast float32 2-D convolution and its gradients: im2col + blocked GEMM per (image, group),
// a copy-free path for 1×1/stride-1/unpadded kernels and a direct loop for depthwise forward.
// Oracles: kernels/convolution/conv-reference.ts (forward) and finite differences (gradients).
import { sgemm } from './gemm.js';
import { type Conv2dGeometry, col2im, im2col } from './im2col.js';

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

/** True when cols would equal x itself (1×1 kernel, stride 1, no padding). */
function isPointwise(shape: Conv2dShape): boolean {
  return shape.kernelHeight === 1 && shape.kernelWidth === 1 && shape.strideHeight === 1 && shape.strideWidth === 1 && shape.padTop === 0 && shape.padLeft === 0 && shape.outHeight === shape.inHeight && shape.outWidth === shape.inWidth;
}

let columnBuffer = new Float32Array(0);
function columns(length: number): Float32Array {
  if (columnBuffer.length < length) columnBuffer = new Float32Array(length);
  return columnBuffer;
}

/** y: (N, M, oH, oW) = conv(x: (N, C, H, W), w: (M, C/group, kH, kW)) + bias: (M). */
export function conv2dForward(shape: Conv2dShape, x: Float32Array, w: Float32Array, bias: Float32Array | undefined, y: Float32Array): void {
  const { channelsPerGroup, outPerGroup, patchSize, outPlane, inPlane } = sizes(shape);
  if (channelsPerGroup === 1 && shape.group > 1) {
    depthwiseForward(shape, x, w, y);
  } else {
    const pointwise = isPointwise(shape);
    const cols = pointwise ? x : columns(patchSize * outPlane);
    for (let n = 0; n < shape.batch; n++) {
      for (let g = 0; g < shape.group; g++) {
        const xOffset = (n * shape.inChannels + g * channelsPerGroup) * inPlane;
        if (!pointwise) im2col(x, xOffset, channelsPerGroup, shape, cols);
        sgemm({
          m: outPerGroup, n: outPlane, k: patchSize,
          a: w, aOffset: g * outPerGroup * patchSize,
          b: cols, bOffset: pointwise ? xOffset : 0,
          c: y, cOffset: (n * shape.outChannels + g * outPerGroup) * outPlane,
        });
      }
    }
  }
  if (bias) addBias(shape, bias, y, outPlane);
}

function addBias(shape: Conv2dShape, bias: Float32Array, y: Float32Array, outPlane: number): void {
  for (let n = 0; n < shape.batch; n++) {
    for (let m = 0; m < shape.outChannels; m++) {
      const value = bias[m] as number;
      const base = (n * shape.outChannels + m) * outPlane;
      for (let index = base; index < base + outPlane; index++) y[index] = (y[index] as number) + value;
    }
  }
}

/** Depthwise (C/group = 1): each output channel m reads input channel ⌊m / (M/group)⌋. */
function depthwiseForward(shape: Conv2dShape, x: Float32Array, w: Float32Array, y: Float32Array): void {
  const { outPerGroup, outPlane, inPlane } = sizes(shape);
  const { inHeight, inWidth, kernelHeight, kernelWidth, outHeight, outWidth } = shape;
  for (let n = 0; n < shape.batch; n++) {
    for (let m = 0; m < shape.outChannels; m++) {
      const xBase = (n * shape.inChannels + Math.floor(m / outPerGroup)) * inPlane;
      const wBase = m * kernelHeight * kernelWidth;
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
          y[target++] = sum;
        }
      }
    }
  }
}

/** dx: (N, C, H, W) = convᵀ(dy: (N, M, oH, oW), w) — GEMM Wᵀ·dY per (image, group), then col2im. */
export function conv2dGradInput(shape: Conv2dShape, dy: Float32Array, w: Float32Array, dx: Float32Array): void {
  const { channelsPerGroup, outPerGroup, patchSize, outPlane, inPlane } = sizes(shape);
  const pointwise = isPointwise(shape);
  dx.fill(0);
  const cols = columns(patchSize * outPlane);
  for (let n = 0; n < shape.batch; n++) {
    for (let g = 0; g < shape.group; g++) {
      const dxOffset = (n * shape.inChannels + g * channelsPerGroup) * inPlane;
      sgemm({
        m: patchSize, n: outPlane, k: outPerGroup,
        a: w, aOffset: g * outPerGroup * patchSize, transA: true, lda: patchSize,
        b: dy, bOffset: (n * shape.outChannels + g * outPerGroup) * outPlane,
        c: pointwise ? dx : cols, cOffset: pointwise ? dxOffset : 0,
      });
      if (!pointwise) col2im(cols, channelsPerGroup, shape, dx, dxOffset);
    }
  }
}

/** dw: (M, C/group, kH, kW) = Σ_images dY · colsᵀ per group. */
export function conv2dGradWeight(shape: Conv2dShape, x: Float32Array, dy: Float32Array, dw: Float32Array): void {
  const { channelsPerGroup, outPerGroup, patchSize, outPlane, inPlane } = sizes(shape);
  const pointwise = isPointwise(shape);
  dw.fill(0);
  const cols = pointwise ? x : columns(patchSize * outPlane);
  for (let n = 0; n < shape.batch; n++) {
    for (let g = 0; g < shape.group; g++) {
      const xOffset = (n * shape.inChannels + g * channelsPerGroup) * inPlane;
      if (!pointwise) im2col(x, xOffset, channelsPerGroup, shape, cols);
      sgemm({
        m: outPerGroup, n: patchSize, k: outPlane,
        a: dy, aOffset: (n * shape.outChannels + g * outPerGroup) * outPlane,
        b: cols, bOffset: pointwise ? xOffset : 0, transB: true, ldb: outPlane,
        c: dw, cOffset: g * outPerGroup * patchSize,
        beta: 1,
      });
    }
  }
}
