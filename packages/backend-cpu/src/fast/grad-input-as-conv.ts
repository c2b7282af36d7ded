// The input gradient of a stride-1 convolution is itself a convolution: dX = conv(dY, W'), with
// W'[c, m, kh, kw] = W[m, c, kH − 1 − kh, kW − 1 − kw] (per group: input and output channels
// swapped, kernel flipped) and pads (kH − 1)·dH − padTop, (kW − 1)·dW − padLeft, which must not
// be negative. Running it on the WebAssembly forward kernels (one GEMM for plain 1 × 1, Winograd
// for 3 × 3, implicit GEMM otherwise) avoids the GEMM + col2im path's column matrix and its
// scatter-add.
// Oracle: fast/conv2d.test.ts (naive loops) through conv2dGradInput.
import { wasmConv2d } from '../wasm/wasm-conv.js';
import { wasmPointwise } from '../wasm/wasm-pointwise.js';
import type { Conv2dShape } from './conv2d.js';

/** The forward convolution whose output is dX, or undefined when the trick does not apply. */
export function gradInputConvShape(shape: Conv2dShape): Conv2dShape | undefined {
  const padTop = (shape.kernelHeight - 1) * shape.dilationHeight - shape.padTop;
  const padLeft = (shape.kernelWidth - 1) * shape.dilationWidth - shape.padLeft;
  if (shape.strideHeight !== 1 || shape.strideWidth !== 1 || padTop < 0 || padLeft < 0) return undefined;
  return {
    ...shape,
    inChannels: shape.outChannels,
    outChannels: shape.inChannels,
    inHeight: shape.outHeight,
    inWidth: shape.outWidth,
    outHeight: shape.inHeight,
    outWidth: shape.inWidth,
    padTop,
    padLeft,
  };
}

/** W': (C, M/group, kH, kW) from W: (M, C/group, kH, kW). */
export function transposeFlipWeights(shape: Conv2dShape, w: Float32Array): Float32Array {
  const { group, kernelHeight, kernelWidth } = shape;
  const taps = kernelHeight * kernelWidth;
  const inPerGroup = shape.inChannels / group;
  const outPerGroup = shape.outChannels / group;
  const flipped = new Float32Array(shape.inChannels * outPerGroup * taps);
  for (let g = 0; g < group; g++) {
    for (let m = 0; m < outPerGroup; m++) {
      for (let c = 0; c < inPerGroup; c++) {
        const source = ((g * outPerGroup + m) * inPerGroup + c) * taps;
        const target = ((g * inPerGroup + c) * outPerGroup + m) * taps;
        for (let tap = 0; tap < taps; tap++) flipped[target + tap] = w[source + taps - 1 - tap] as number;
      }
    }
  }
  return flipped;
}

/** dx: (N, C, H, W) of a stride-1 convolution by the WebAssembly forward kernels; false when it does not apply. */
export function gradInputAsConv(shape: Conv2dShape, dy: Float32Array, w: Float32Array, dx: Float32Array): boolean {
  const forward = gradInputConvShape(shape);
  if (!forward) return false;
  const weights = transposeFlipWeights(shape, w);
  return wasmPointwise(forward, dy, weights, dx) || wasmConv2d({ shape: forward, x: dy, weights, y: dx });
}
