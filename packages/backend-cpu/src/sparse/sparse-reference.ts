// Readable reference loops of the weight-sparse ops, visiting only the stored entries:
//   SparseGemm: y[b, r] = bias[r] + Σ_(col, value) ∈ row r  value · a[b, col]
//   SparseConv: y[n, m, oh, ow] = bias[m] + Σ_(c, kh, kw, value) ∈ row m  value · x[n, g·C/group + c, ih, iw]
// with float64 accumulation. They are the oracle of the WebAssembly kernels (wasm-sparse.ts) and
// the fallback when those are not built; they are tested against the dense Gemm / Conv reference.
// reference: https://onnx.ai/onnx/operators/onnx__Gemm.html, https://onnx.ai/onnx/operators/onnx__Conv.html
import type { ConvSetup } from '../kernels/convolution/conv-setup.js';
import { type SparseWeight, forEachEntry } from './sparse-weight.js';

/** y: (batch, rows) = a: (batch, cols) · Wᵀ + bias. */
export function sparseGemmReference(options: { a: Float32Array; batch: number; weight: SparseWeight; bias?: Float32Array; y: Float32Array }): void {
  const { a, batch, weight, bias, y } = options;
  const { rows, cols } = weight;
  for (let b = 0; b < batch; b++) {
    for (let row = 0; row < rows; row++) {
      let sum = bias ? (bias[row] as number) : 0;
      forEachEntry(weight, row, (column, value) => {
        sum += value * (a[b * cols + column] as number);
      });
      y[b * rows + row] = sum;
    }
  }
}

export interface SparseConvProblem {
  /** x: (batch, inChannels, H, W) */
  readonly x: Float32Array;
  readonly weight: SparseWeight;
  /** bias: (outChannels) */
  readonly bias?: Float32Array;
  /** Shapes and 2-D geometry (from convSetup with W = weight_shape). */
  readonly setup: ConvSetup;
}

/** y: (batch, outChannels, oH, oW) written into `y`. */
export function sparseConvReference(problem: SparseConvProblem, y: Float32Array): void {
  const { x, weight, bias, setup } = problem;
  const { batch, inChannels, group, geometry: g } = setup;
  const outChannels = weight.rows;
  const [inH, inW] = g.inputSize as [number, number];
  const [kH, kW] = g.kernelSize as [number, number];
  const [outH, outW] = g.outputSize as [number, number];
  const channelsPerGroup = inChannels / group;
  const outPerGroup = outChannels / group;
  const plane = outH * outW;
  const sums = new Float64Array(plane);
  for (let n = 0; n < batch; n++) {
    for (let m = 0; m < outChannels; m++) {
      sums.fill(bias ? (bias[m] as number) : 0);
      const firstChannel = Math.floor(m / outPerGroup) * channelsPerGroup;
      forEachEntry(weight, m, (column, value) => {
        // column = (c · kH + kh) · kW + kw inside the group's patch
        const kw = column % kW;
        const kh = Math.floor(column / kW) % kH;
        const c = Math.floor(column / (kH * kW));
        const xBase = (n * inChannels + firstChannel + c) * inH * inW;
        for (let oh = 0; oh < outH; oh++) {
          const ih = oh * (g.strides[0] as number) - (g.padsBegin[0] as number) + kh * (g.dilations[0] as number);
          if (ih < 0 || ih >= inH) continue;
          for (let ow = 0; ow < outW; ow++) {
            const iw = ow * (g.strides[1] as number) - (g.padsBegin[1] as number) + kw * (g.dilations[1] as number);
            if (iw < 0 || iw >= inW) continue;
            sums[oh * outW + ow] = (sums[oh * outW + ow] as number) + value * (x[xBase + ih * inW + iw] as number);
          }
        }
      });
      y.set(sums, (n * outChannels + m) * plane);
    }
  }
}
