// The weight gradient of a float32 2-D convolution without leaving the WebAssembly memory:
// dW (M, C/group·kH·kW) = Σ_chunks dY (M/group, images·oH·oW) · colsᵀ per group, where X is copied
// in once, zero-padded by the placement job, turned into columns by the im2col job
// (assembly/im2col-f32.ts, rows split between the threads) and dY's channel planes are gathered
// by the same job with a 1 × 1 kernel; the GEMM is the WebAssembly kernel on those addresses
// (runF32GemmJobs), accumulating chunk after chunk (beta 1). Chunks of images depend on the shape
// and the budget only, and every GEMM sums in a fixed order, so results do not depend on the
// thread count. false when the runtime is unavailable or the operands do not fit (callers use
// the TypeScript im2col path of fast/conv2d.ts).
import type { Conv2dShape } from '../fast/conv2d.js';
import { planChunks } from '../fast/conv-batching.js';
import { OperandSpace, type PaddedPlanes, paddedFloats, place, reserveFloats } from './operand-space.js';
import { type Im2colSource, im2col } from './wasm-im2col.js';
import { runF32GemmJobs, sharedGemmBytes } from './wasm-gemm.js';
import { getWasmRuntime } from './wasm-runtime.js';

/** Default budget (floats) of one chunk's columns and gathered dY: 16 Mi floats = 64 MB. */
const DEFAULT_BUDGET = 16 * 1024 * 1024;
/** X's planes, zero-padded so that every window lies inside (no copy when there is no padding). */
function paddedInput(shape: Conv2dShape): PaddedPlanes {
  const height = Math.max(shape.padTop + shape.inHeight, (shape.outHeight - 1) * shape.strideHeight + (shape.kernelHeight - 1) * shape.dilationHeight + 1);
  const width = Math.max(shape.padLeft + shape.inWidth, (shape.outWidth - 1) * shape.strideWidth + (shape.kernelWidth - 1) * shape.dilationWidth + 1);
  return { planes: shape.batch * shape.inChannels, height, width, slack: 0 };
}

/** dw: (M, C/group, kH, kW) = ∂(Σ dy · conv(x, W)) / ∂W; see the file comment. */
export function wasmConvGradWeight(shape: Conv2dShape, x: Float32Array, dy: Float32Array, dw: Float32Array, options?: { maxScratchFloats?: number }): boolean {
  const runtime = getWasmRuntime();
  if (!runtime) return false;
  const { batch, inChannels, outChannels, group, inHeight, inWidth, outHeight, outWidth } = shape;
  const taps = shape.kernelHeight * shape.kernelWidth;
  const plane = outHeight * outWidth;
  const patch = (inChannels / group) * taps;
  const outPerGroup = outChannels / group;
  const chunks = planChunks({ batch, floatsPerImage: (inChannels * taps + outChannels) * plane, budget: options?.maxScratchFloats ?? DEFAULT_BUDGET });
  const largest = Math.max(...chunks.map((chunk) => chunk.count)) * plane;
  const padded = paddedInput(shape);
  const needsPadding = padded.height !== inHeight || padded.width !== inWidth;
  const space = new OperandSpace();
  const xStaging = space.take(batch * inChannels * inHeight * inWidth);
  const xPadded = needsPadding ? space.take(paddedFloats(padded)) : xStaging;
  const dyStaging = space.take(batch * outChannels * plane);
  const cols = space.take(inChannels * taps * largest);
  const gathered = space.take(outChannels * largest);
  const result = space.take(outChannels * patch);
  const shared = space.take(sharedGemmBytes(largest, patch) / 4);
  const base = reserveFloats(runtime, space.floats);
  if (base === undefined) return false;
  const at = (offset: number): number => base + offset * 4;
  const heap = runtime.views().f32;
  heap.set(x.subarray(0, batch * inChannels * inHeight * inWidth), base / 4 + xStaging);
  heap.set(dy.subarray(0, batch * outChannels * plane), base / 4 + dyStaging);
  if (needsPadding) place(runtime, base, { source: xStaging, target: xPadded, planes: batch * inChannels, height: inHeight, width: inWidth, padded, top: shape.padTop, left: shape.padLeft, strideH: 1, strideW: 1 });
  const xSource: Im2colSource = {
    input: at(xPadded), padded, inChannels,
    kernel: [shape.kernelHeight, shape.kernelWidth], stride: [shape.strideHeight, shape.strideWidth],
    dilation: [shape.dilationHeight, shape.dilationWidth], out: [outHeight, outWidth],
  };
  const dySource: Im2colSource = {
    input: at(dyStaging), padded: { planes: batch * outChannels, height: outHeight, width: outWidth, slack: 0 }, inChannels: outChannels,
    kernel: [1, 1], stride: [1, 1], dilation: [1, 1], out: [outHeight, outWidth],
  };
  chunks.forEach((chunk, index) => {
    im2col(runtime, xSource, { output: at(cols), rows: inChannels * taps, chunk });
    im2col(runtime, dySource, { output: at(gathered), rows: outChannels, chunk });
    const ld = chunk.count * plane;
    for (let g = 0; g < group; g++) {
      runF32GemmJobs(runtime, {
        a: at(gathered + g * outPerGroup * ld), b: at(cols + g * patch * ld), c: at(result + g * outPerGroup * patch),
        m: outPerGroup, n: patch, k: ld, aCols: ld, bCols: ld, transA: false, transB: true, alpha: 1, beta: index === 0 ? 0 : 1,
      }, at(shared));
    }
  });
  dw.set(runtime.views().f32.subarray(base / 4 + result, base / 4 + result + outChannels * patch));
  return true;
}
