// SparseGemm on the WebAssembly kernels: A (batch, K) is copied into the shared memory and
// transposed to Aᵀ (K, batch) so that the batch becomes contiguous columns, the sparse rows of W
// multiply it (Yᵀ (N, batch) = W · Aᵀ + bias, only stored entries visited), and Yᵀ is transposed
// back to Y (batch, N). Oracle: sparseGemmReference (sparse-reference.ts).
import { getWasmRuntime } from '../wasm/wasm-runtime.js';
import type { SparseWeight } from './sparse-weight.js';
import { B_SLACK_BYTES, HeapPlan, launchFits, planWeight, reservePlan, runRows, runTranspose, stageWeight } from './wasm-sparse-jobs.js';

export interface SparseGemmOptions {
  /** a: (batch, K) */
  readonly a: Float32Array;
  readonly batch: number;
  /** W: (N, K) */
  readonly weight: SparseWeight;
  /** bias: (N) */
  readonly bias?: Float32Array;
  /** y: (batch, N), written */
  readonly y: Float32Array;
}

/** Runs SparseGemm in WebAssembly; false when the runtime is unavailable or the problem does not fit. */
export function wasmSparseGemm(options: SparseGemmOptions): boolean {
  const runtime = getWasmRuntime();
  const { a, batch, weight, bias, y } = options;
  const { rows, cols } = weight;
  if (!runtime || !launchFits({ weight, columns: batch, segmentLength: batch })) return false;
  const plan = new HeapPlan();
  const planned = planWeight(plan, weight);
  const regions = {
    offsets: plan.add(cols * 4),
    bias: bias ? plan.add(rows * 4) : -1,
    a: plan.add(batch * cols * 4), // A: (batch, K)
    transposed: plan.add(batch * cols * 4 + B_SLACK_BYTES), // Aᵀ: (K, batch)
    out: plan.add(rows * batch * 4), // Yᵀ: (N, batch)
    y: plan.add(batch * rows * 4), // Y: (batch, N)
  };
  const base = reservePlan(runtime, plan);
  if (base === undefined) return false;
  const staged = stageWeight(runtime, base, planned, weight);
  const at = (offset: number) => base + offset;
  const heap = runtime.views();
  const offsets = heap.i32.subarray(at(regions.offsets) / 4, at(regions.offsets) / 4 + cols);
  for (let column = 0; column < cols; column++) offsets[column] = column * batch;
  if (bias) heap.f32.set(bias, at(regions.bias) / 4);
  heap.f32.set(a.subarray(0, batch * cols), at(regions.a) / 4);
  runTranspose(runtime, { source: at(regions.a), target: at(regions.transposed), rows: batch, cols });
  runRows(runtime, {
    weight, staged,
    offsets: at(regions.offsets),
    b: at(regions.transposed), bImageStride: 0,
    out: at(regions.out), outRowStride: batch * 4, outImageStride: 0,
    columns: batch, segmentLength: batch, segmentStride: batch,
    bias: bias ? at(regions.bias) : 0,
    rowStart: 0, rowEnd: rows, images: 1,
  });
  runTranspose(runtime, { source: at(regions.out), target: at(regions.y), rows, cols: batch });
  const result = runtime.views().f32;
  y.set(result.subarray(at(regions.y) / 4, at(regions.y) / 4 + batch * rows));
  return true;
}
