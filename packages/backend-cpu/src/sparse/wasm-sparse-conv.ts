// SparseConv on the WebAssembly kernels, per group:
//  - stride 1 (any dilation): DIRECT — x is zero-padded once into (N, C, pH, pW); the im2col row of
//    tap (c, kh, kw) is then the padded plane of c read from kh·dH·pW + kw·dW on, so the sparse rows
//    multiply shifted views of the padded planes without materializing im2col (outputs are computed
//    on the padded grid, (oH − 1)·pW + oW columns, and compacted to (oH, oW) by the kernel);
//  - otherwise: im2col columns (fast/im2col.ts) per chunk of images, then the same SpMM.
// Oracle: sparseConvReference (sparse-reference.ts).
import type { Conv2dShape } from '../fast/conv2d.js';
import { toConv2dShape } from '../kernels/convolution/conv-setup.js';
import { im2col } from '../fast/im2col.js';
import { getWasmRuntime, type WasmRuntime } from '../wasm/wasm-runtime.js';
import type { SparseConvProblem } from './sparse-reference.js';
import { B_SLACK_BYTES, HeapPlan, type StagedWeight, launchFits, planWeight, reservePlan, runPad, runRows, stageWeight } from './wasm-sparse-jobs.js';

/** Bytes of im2col columns one launch may use (chunks of images beyond this). */
const COLUMN_BUDGET_BYTES = 64 << 20;

interface Sizes {
  readonly shape: Conv2dShape;
  readonly channelsPerGroup: number;
  readonly outPerGroup: number;
  readonly patch: number;
  readonly outPlane: number;
}

function sizesOf(problem: SparseConvProblem): Sizes {
  const shape = toConv2dShape(problem.setup);
  return {
    shape,
    channelsPerGroup: shape.inChannels / shape.group,
    outPerGroup: shape.outChannels / shape.group,
    patch: problem.weight.cols,
    outPlane: shape.outHeight * shape.outWidth,
  };
}

/** Runs SparseConv in WebAssembly into y; false when unavailable or the problem does not fit. */
export function wasmSparseConv(problem: SparseConvProblem, y: Float32Array): boolean {
  const runtime = getWasmRuntime();
  if (!runtime) return false;
  const sizes = sizesOf(problem);
  const { shape } = sizes;
  if (shape.strideHeight === 1 && shape.strideWidth === 1) {
    const paddedWidth = shape.outWidth + (shape.kernelWidth - 1) * shape.dilationWidth;
    const columns = (shape.outHeight - 1) * paddedWidth + shape.outWidth;
    if (launchFits({ weight: problem.weight, columns, segmentLength: shape.outWidth })) return directConv(runtime, problem, sizes, y);
  }
  if (!launchFits({ weight: problem.weight, columns: sizes.outPlane, segmentLength: sizes.outPlane })) return false;
  return columnsConv(runtime, problem, sizes, y);
}

interface Common {
  base: number;
  staged: StagedWeight;
  offsets: number;
  bias: number;
  y: number;
}

/** Plans and stages what both paths share: weight, offsets table, bias, output. */
function planCommon(plan: HeapPlan, problem: SparseConvProblem, sizes: Sizes) {
  return {
    weight: planWeight(plan, problem.weight),
    offsets: plan.add(sizes.patch * 4),
    bias: problem.bias ? plan.add(sizes.shape.outChannels * 4) : -1,
    y: plan.add(sizes.shape.batch * sizes.shape.outChannels * sizes.outPlane * 4),
  };
}

function stageCommon(runtime: WasmRuntime, base: number, planned: ReturnType<typeof planCommon>, problem: SparseConvProblem): Common {
  const staged = stageWeight(runtime, base, planned.weight, problem.weight);
  if (problem.bias) runtime.views().f32.set(problem.bias, (base + planned.bias) / 4);
  return { base, staged, offsets: base + planned.offsets, bias: problem.bias ? base + planned.bias : 0, y: base + planned.y };
}

function copyOut(runtime: WasmRuntime, common: Common, y: Float32Array): void {
  const start = common.y / 4;
  y.set(runtime.views().f32.subarray(start, start + y.length));
}

function directConv(runtime: WasmRuntime, problem: SparseConvProblem, sizes: Sizes, y: Float32Array): boolean {
  const { shape, channelsPerGroup, outPerGroup, patch, outPlane } = sizes;
  const { padsBegin, padsEnd } = problem.setup.geometry;
  const paddedHeight = shape.inHeight + (padsBegin[0] as number) + (padsEnd[0] as number);
  const paddedWidth = shape.inWidth + (padsBegin[1] as number) + (padsEnd[1] as number);
  const needsPadding = paddedHeight !== shape.inHeight || paddedWidth !== shape.inWidth;
  const inputFloats = shape.batch * shape.inChannels * shape.inHeight * shape.inWidth;
  const plan = new HeapPlan();
  const planned = planCommon(plan, problem, sizes);
  const xRegion = plan.add(inputFloats * 4 + B_SLACK_BYTES);
  const paddedRegion = needsPadding ? plan.add(shape.batch * shape.inChannels * paddedHeight * paddedWidth * 4 + B_SLACK_BYTES) : xRegion;
  const base = reservePlan(runtime, plan);
  if (base === undefined) return false;
  const common = stageCommon(runtime, base, planned, problem);
  const heap = runtime.views();
  heap.f32.set(problem.x.subarray(0, inputFloats), (base + xRegion) / 4);
  const paddedPlane = paddedHeight * paddedWidth;
  const table = heap.i32.subarray(common.offsets / 4, common.offsets / 4 + patch);
  for (let column = 0; column < patch; column++) {
    // column = (c · kH + kh) · kW + kw
    const kw = column % shape.kernelWidth;
    const kh = Math.floor(column / shape.kernelWidth) % shape.kernelHeight;
    const c = Math.floor(column / (shape.kernelWidth * shape.kernelHeight));
    table[column] = c * paddedPlane + kh * shape.dilationHeight * paddedWidth + kw * shape.dilationWidth;
  }
  if (needsPadding) {
    runPad(runtime, {
      source: base + xRegion, target: base + paddedRegion, planes: shape.batch * shape.inChannels,
      height: shape.inHeight, width: shape.inWidth, paddedHeight, paddedWidth,
      top: padsBegin[0] as number, left: padsBegin[1] as number,
    });
  }
  for (let g = 0; g < shape.group; g++) {
    runRows(runtime, {
      weight: problem.weight, staged: common.staged, offsets: common.offsets,
      b: base + paddedRegion + g * channelsPerGroup * paddedPlane * 4, bImageStride: shape.inChannels * paddedPlane * 4,
      out: common.y, outRowStride: outPlane * 4, outImageStride: shape.outChannels * outPlane * 4,
      columns: (shape.outHeight - 1) * paddedWidth + shape.outWidth, segmentLength: shape.outWidth, segmentStride: paddedWidth,
      bias: common.bias, rowStart: g * outPerGroup, rowEnd: (g + 1) * outPerGroup, images: shape.batch,
    });
  }
  copyOut(runtime, common, y);
  return true;
}

function columnsConv(runtime: WasmRuntime, problem: SparseConvProblem, sizes: Sizes, y: Float32Array): boolean {
  const { shape, channelsPerGroup, outPerGroup, patch, outPlane } = sizes;
  const imageBytes = patch * outPlane * 4;
  const chunkImages = Math.max(1, Math.min(shape.batch, Math.floor(COLUMN_BUDGET_BYTES / Math.max(1, imageBytes))));
  const plan = new HeapPlan();
  const planned = planCommon(plan, problem, sizes);
  const columnsRegion = plan.add(chunkImages * imageBytes + B_SLACK_BYTES);
  const base = reservePlan(runtime, plan);
  if (base === undefined) return false;
  const common = stageCommon(runtime, base, planned, problem);
  const table = runtime.views().i32.subarray(common.offsets / 4, common.offsets / 4 + patch);
  for (let column = 0; column < patch; column++) table[column] = column * outPlane;
  const inPlane = shape.inHeight * shape.inWidth;
  for (let first = 0; first < shape.batch; first += chunkImages) {
    const count = Math.min(chunkImages, shape.batch - first);
    for (let g = 0; g < shape.group; g++) {
      const cols = runtime.views().f32;
      for (let image = 0; image < count; image++) {
        const imageOffset = ((first + image) * shape.inChannels + g * channelsPerGroup) * inPlane;
        const colsOffset = (base + columnsRegion) / 4 + image * patch * outPlane;
        im2col({ geometry: shape, channels: channelsPerGroup, image: problem.x, imageOffset, cols, colsOffset, ld: outPlane });
      }
      runRows(runtime, {
        weight: problem.weight, staged: common.staged, offsets: common.offsets,
        b: base + columnsRegion, bImageStride: imageBytes,
        out: common.y + first * shape.outChannels * outPlane * 4, outRowStride: outPlane * 4, outImageStride: shape.outChannels * outPlane * 4,
        columns: outPlane, segmentLength: outPlane, segmentStride: outPlane,
        bias: common.bias, rowStart: g * outPerGroup, rowEnd: (g + 1) * outPerGroup, images: count,
      });
    }
  }
  copyOut(runtime, common, y);
  return true;
}
