// Pointwise (1 × 1, stride 1, unpadded, ungrouped) float32 convolution as one GEMM inside the
// WebAssembly memory: X (N, C, P) is gathered to (C, N·P) by the im2col job, Y' (M, N·P) = W · X'
// by the WebAssembly GEMM (runF32GemmJobs), and Y' is scattered back to (N, M, P) by the same job
// (reading (M, N, P) as M images of N planes). Used for the forward pass and, with W transposed,
// for the input gradient of pointwise convolutions. Every output element is one GEMM dot product
// in a fixed order: results do not depend on the thread count. false when it does not apply or the
// runtime is unavailable. Oracle: fast/conv2d.test.ts (naive loops) through conv2dForward.
import type { Conv2dShape } from '../fast/conv2d.js';
import { OperandSpace, reserveFloats } from './operand-space.js';
import { runF32GemmJobs, sharedGemmBytes } from './wasm-gemm.js';
import { im2col } from './wasm-im2col.js';
import { getWasmRuntime } from './wasm-runtime.js';

/** Whether the convolution is a plain channel mix: 1 × 1, stride 1, no padding, one group. */
export function isPlainPointwise(shape: Conv2dShape): boolean {
  return (
    shape.kernelHeight === 1 && shape.kernelWidth === 1 && shape.strideHeight === 1 && shape.strideWidth === 1 &&
    shape.padTop === 0 && shape.padLeft === 0 && shape.group === 1 && shape.outHeight === shape.inHeight && shape.outWidth === shape.inWidth
  );
}

/** y: (N, M, P) = w: (M, C) · x: (N, C, P) per image, for a plain pointwise convolution without bias. */
export function wasmPointwise(shape: Conv2dShape, x: Float32Array, w: Float32Array, y: Float32Array): boolean {
  const runtime = getWasmRuntime();
  if (!runtime || !isPlainPointwise(shape)) return false;
  const { batch, inChannels, outChannels, outHeight, outWidth } = shape;
  const plane = outHeight * outWidth;
  const columns = batch * plane;
  const space = new OperandSpace();
  const staging = space.take(inChannels * columns);
  const gathered = space.take(inChannels * columns);
  const weights = space.take(outChannels * inChannels);
  const product = space.take(outChannels * columns);
  const result = space.take(outChannels * columns);
  const shared = space.take(sharedGemmBytes(inChannels, columns) / 4);
  const base = reserveFloats(runtime, space.floats);
  if (base === undefined) return false;
  const at = (offset: number): number => base + offset * 4;
  const heap = runtime.views().f32;
  heap.set(x.subarray(0, inChannels * columns), base / 4 + staging);
  heap.set(w.subarray(0, outChannels * inChannels), base / 4 + weights);
  const planes = (count: number) => ({ planes: count, height: outHeight, width: outWidth, slack: 0 });
  const unit = { kernel: [1, 1], stride: [1, 1], dilation: [1, 1], out: [outHeight, outWidth] } as const;
  im2col(runtime, { ...unit, input: at(staging), padded: planes(batch * inChannels), inChannels }, { output: at(gathered), rows: inChannels, chunk: { first: 0, count: batch } });
  runF32GemmJobs(runtime, {
    a: at(weights), b: at(gathered), c: at(product), m: outChannels, n: columns, k: inChannels,
    aCols: inChannels, bCols: columns, transA: false, transB: false, alpha: 1, beta: 0,
  }, at(shared));
  // (M, N, P) read as M images of N planes: row n of the result gathers image m's plane n for every m
  im2col(runtime, { ...unit, input: at(product), padded: planes(outChannels * batch), inChannels: batch }, { output: at(result), rows: batch, chunk: { first: 0, count: outChannels } });
  y.set(runtime.views().f32.subarray(base / 4 + result, base / 4 + result + outChannels * columns));
  return true;
}
