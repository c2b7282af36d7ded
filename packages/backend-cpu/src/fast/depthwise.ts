// Depthwise 2-D convolution (group = C input channels, M = C · multiplier outputs, any kernel,
// stride, padding, dilation) and its gradients, computed directly: the WebAssembly SIMD kernels
// (src/wasm/wasm-depthwise-train.ts) when loaded, else the TypeScript loops below (each tap
// visits only the output rows / columns whose input lies inside X, so there are no bounds checks
// in the inner loops). The per-group GEMM of conv2d.ts would run one matrix-vector product per
// channel instead. Oracle: fast/depthwise.test.ts (naive loops of __fixtures__/conv-oracle.ts).
import { wasmDepthwiseForward, wasmDepthwiseGradInput, wasmDepthwiseGradWeight } from '../wasm/wasm-depthwise-train.js';
import type { Conv2dShape } from './conv2d.js';

/** Multiply-adds from which the WebAssembly kernels beat the TypeScript loops (copies included). */
const WASM_MIN_WORK = 4096;

/**
 * True for a depthwise convolution: one input channel per group (any channel multiplier), which
 * includes an ungrouped convolution of a single input channel (an image's first layer).
 */
export function isDepthwise(shape: Conv2dShape): boolean {
  return shape.group === shape.inChannels && shape.outChannels % shape.group === 0;
}

const work = (shape: Conv2dShape): number => shape.batch * shape.outChannels * shape.outHeight * shape.outWidth * shape.kernelHeight * shape.kernelWidth;

/** Output positions [first, end) whose input position out·stride + offset lies inside [0, size). */
export function validOutputs(outSize: number, stride: number, offset: number, size: number): [number, number] {
  const first = offset >= 0 ? 0 : Math.ceil(-offset / stride);
  const end = Math.min(outSize, Math.max(0, Math.ceil((size - offset) / stride)));
  return [Math.min(first, end), end];
}

/** One tap's placement: input offsets (rowOffset, columnOffset) = (kh·dH − padTop, kw·dW − padLeft). */
interface TapWindow {
  readonly rowOffset: number;
  readonly columnOffset: number;
  readonly rows: [number, number];
  readonly columns: [number, number];
}

function tapWindow(shape: Conv2dShape, kh: number, kw: number): TapWindow {
  const rowOffset = kh * shape.dilationHeight - shape.padTop;
  const columnOffset = kw * shape.dilationWidth - shape.padLeft;
  return {
    rowOffset,
    columnOffset,
    rows: validOutputs(shape.outHeight, shape.strideHeight, rowOffset, shape.inHeight),
    columns: validOutputs(shape.outWidth, shape.strideWidth, columnOffset, shape.inWidth),
  };
}

/** y: (N, M, oH, oW) = depthwise conv(x: (N, C, H, W), w: (M, 1, kH, kW)) + bias: (M). */
export function depthwiseForward(shape: Conv2dShape, x: Float32Array, w: Float32Array, bias: Float32Array | undefined, y: Float32Array): void {
  if (work(shape) >= WASM_MIN_WORK && wasmDepthwiseForward(shape, x, w, bias, y)) return;
  const { batch, inChannels, outChannels, inHeight, inWidth, outHeight, outWidth, strideHeight, strideWidth } = shape;
  const multiplier = outChannels / inChannels;
  const taps = shape.kernelHeight * shape.kernelWidth;
  const outPlane = outHeight * outWidth;
  for (let n = 0; n < batch; n++) {
    for (let m = 0; m < outChannels; m++) {
      const xBase = (n * inChannels + Math.floor(m / multiplier)) * inHeight * inWidth;
      const yBase = (n * outChannels + m) * outPlane;
      y.fill(bias ? (bias[m] as number) : 0, yBase, yBase + outPlane);
      for (let kh = 0; kh < shape.kernelHeight; kh++) {
        for (let kw = 0; kw < shape.kernelWidth; kw++) {
          const tap = tapWindow(shape, kh, kw);
          const weight = w[m * taps + kh * shape.kernelWidth + kw] as number;
          for (let oh = tap.rows[0]; oh < tap.rows[1]; oh++) {
            const xRow = xBase + (oh * strideHeight + tap.rowOffset) * inWidth + tap.columnOffset;
            const yRow = yBase + oh * outWidth;
            for (let ow = tap.columns[0]; ow < tap.columns[1]; ow++) y[yRow + ow] = (y[yRow + ow] as number) + weight * (x[xRow + ow * strideWidth] as number);
          }
        }
      }
    }
  }
}

/** dx: (N, C, H, W) = Σ over each channel's outputs of dy: (N, M, oH, oW) spread through w: (M, 1, kH, kW). */
export function depthwiseGradInput(shape: Conv2dShape, dy: Float32Array, w: Float32Array, dx: Float32Array): void {
  if (shape.outChannels === shape.inChannels && work(shape) >= WASM_MIN_WORK && wasmDepthwiseGradInput(shape, dy, w, dx)) return;
  const { batch, inChannels, outChannels, inHeight, inWidth, outHeight, outWidth, strideHeight, strideWidth } = shape;
  const multiplier = outChannels / inChannels;
  const taps = shape.kernelHeight * shape.kernelWidth;
  dx.fill(0, 0, batch * inChannels * inHeight * inWidth);
  for (let n = 0; n < batch; n++) {
    for (let m = 0; m < outChannels; m++) {
      const xBase = (n * inChannels + Math.floor(m / multiplier)) * inHeight * inWidth;
      const yBase = (n * outChannels + m) * outHeight * outWidth;
      for (let kh = 0; kh < shape.kernelHeight; kh++) {
        for (let kw = 0; kw < shape.kernelWidth; kw++) {
          const tap = tapWindow(shape, kh, kw);
          const weight = w[m * taps + kh * shape.kernelWidth + kw] as number;
          for (let oh = tap.rows[0]; oh < tap.rows[1]; oh++) {
            const xRow = xBase + (oh * strideHeight + tap.rowOffset) * inWidth + tap.columnOffset;
            const yRow = yBase + oh * outWidth;
            for (let ow = tap.columns[0]; ow < tap.columns[1]; ow++) {
              const index = xRow + ow * strideWidth;
              dx[index] = (dx[index] as number) + weight * (dy[yRow + ow] as number);
            }
          }
        }
      }
    }
  }
}

/** dw: (M, 1, kH, kW) = Σ_n Σ_positions dy: (N, M, oH, oW) · the tap's input in x: (N, C, H, W). */
export function depthwiseGradWeight(shape: Conv2dShape, x: Float32Array, dy: Float32Array, dw: Float32Array): void {
  if (work(shape) >= WASM_MIN_WORK && wasmDepthwiseGradWeight(shape, x, dy, dw)) return;
  const { batch, inChannels, outChannels, inHeight, inWidth, outHeight, outWidth, strideHeight, strideWidth } = shape;
  const multiplier = outChannels / inChannels;
  const taps = shape.kernelHeight * shape.kernelWidth;
  for (let m = 0; m < outChannels; m++) {
    for (let kh = 0; kh < shape.kernelHeight; kh++) {
      for (let kw = 0; kw < shape.kernelWidth; kw++) {
        const tap = tapWindow(shape, kh, kw);
        let sum = 0;
        for (let n = 0; n < batch; n++) {
          const xBase = (n * inChannels + Math.floor(m / multiplier)) * inHeight * inWidth;
          const yBase = (n * outChannels + m) * outHeight * outWidth;
          for (let oh = tap.rows[0]; oh < tap.rows[1]; oh++) {
            const xRow = xBase + (oh * strideHeight + tap.rowOffset) * inWidth + tap.columnOffset;
            const yRow = yBase + oh * outWidth;
            for (let ow = tap.columns[0]; ow < tap.columns[1]; ow++) sum += (dy[yRow + ow] as number) * (x[xRow + ow * strideWidth] as number);
          }
        }
        dw[m * taps + kh * shape.kernelWidth + kw] = sum;
      }
    }
  }
}
