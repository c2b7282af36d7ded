// Float32 GEMM on the WebAssembly SIMD kernel (assembly/gemm-f32.ts): copies the stored
// operands into the shared memory (compacting leading dimensions), splits C across threads,
// runs, copies C back. Same contract as sgemm in src/fast/gemm.ts, which calls this for large
// problems and keeps its TypeScript path as the fallback.
import type { GemmOptions } from '../fast/gemm.js';
import * as layout from './job-layout.js';
import { partitionOutput } from './partition.js';
import { slotAddress } from './thread-pool.js';
import { getWasmRuntime, scratchAddresses, type WasmRuntime } from './wasm-runtime.js';

/** Copies a stored (rows × cols, leading dimension ld) matrix to `target` compactly. */
export function copyCompact<T extends Float32Array | Int8Array | Uint8Array>(options: {
  source: T; offset: number; ld: number; rows: number; cols: number; target: T; targetOffset: number;
}): void {
  const { source, offset, ld, rows, cols, target, targetOffset } = options;
  if (ld === cols) {
    target.set(source.subarray(offset, offset + rows * cols), targetOffset);
    return;
  }
  for (let row = 0; row < rows; row++) {
    target.set(source.subarray(offset + row * ld, offset + row * ld + cols), targetOffset + row * cols);
  }
}

const align16 = (bytes: number): number => Math.ceil(bytes / 16) * 16;

/** Runs the GEMM in WebAssembly; false when the runtime is unavailable (caller falls back). */
export function wasmSgemm(options: GemmOptions): boolean {
  const runtime = getWasmRuntime();
  if (!runtime) return false;
  const { m, n, k } = options;
  const transA = options.transA ?? false;
  const transB = options.transB ?? false;
  const [aRows, aCols] = transA ? [k, m] : [m, k];
  const [bRows, bCols] = transB ? [n, k] : [k, n];
  const aBytes = align16(aRows * aCols * 4);
  const bBytes = align16(bRows * bCols * 4);
  const cBytes = align16(m * n * 4);
  let base: number;
  try {
    base = runtime.reserveOperands(aBytes + bBytes + cBytes);
  } catch {
    return false; // larger than the 2 GiB memory: TypeScript path
  }
  const heap = runtime.views().f32;
  const addresses = { a: base, b: base + aBytes, c: base + aBytes + bBytes };
  copyCompact({ source: options.a, offset: options.aOffset ?? 0, ld: options.lda ?? aCols, rows: aRows, cols: aCols, target: heap, targetOffset: addresses.a / 4 });
  copyCompact({ source: options.b, offset: options.bOffset ?? 0, ld: options.ldb ?? bCols, rows: bRows, cols: bCols, target: heap, targetOffset: addresses.b / 4 });
  const beta = options.beta ?? 0;
  const ldc = options.ldc ?? n;
  const cOffset = options.cOffset ?? 0;
  if (beta !== 0) copyCompact({ source: options.c, offset: cOffset, ld: ldc, rows: m, cols: n, target: heap, targetOffset: addresses.c / 4 });
  // built field by field: an object spread here cost more than a small GEMM itself
  const job: F32Job = { a: addresses.a, b: addresses.b, c: addresses.c, m, n, k, aCols, bCols, transA, transB, alpha: options.alpha ?? 1, beta };
  runTiles(runtime, job);
  for (let row = 0; row < m; row++) {
    const start = addresses.c / 4 + row * n;
    options.c.set(heap.subarray(start, start + n), cOffset + row * ldc);
  }
  return true;
}

interface F32Job {
  a: number; b: number; c: number;
  m: number; n: number; k: number;
  aCols: number; bCols: number;
  transA: boolean; transB: boolean;
  alpha: number; beta: number;
}

function runTiles(runtime: WasmRuntime, job: F32Job): void {
  const tiles = partitionOutput({ m: job.m, n: job.n, k: job.k, threads: runtime.threads });
  const { i32: words, f32: floats } = runtime.views();
  tiles.forEach((tile, thread) => {
    const slot = slotAddress(thread) / 4;
    const { scratchA, scratchB } = scratchAddresses(thread);
    words[slot + layout.WORD_KIND] = layout.JOB_F32_GEMM;
    words[slot + layout.WORD_A] = job.a;
    words[slot + layout.WORD_B] = job.b;
    words[slot + layout.WORD_C] = job.c;
    words[slot + layout.WORD_LDA] = job.aCols;
    words[slot + layout.WORD_LDB] = job.bCols;
    words[slot + layout.WORD_LDC] = job.n;
    words[slot + layout.WORD_TRANS_A] = job.transA ? 1 : 0;
    words[slot + layout.WORD_TRANS_B] = job.transB ? 1 : 0;
    words[slot + layout.WORD_ROW0] = tile.row0;
    words[slot + layout.WORD_ROWS] = tile.rows;
    words[slot + layout.WORD_COL0] = tile.col0;
    words[slot + layout.WORD_COLS] = tile.cols;
    words[slot + layout.WORD_DEPTH] = job.k;
    floats[slot + layout.WORD_ALPHA] = job.alpha;
    floats[slot + layout.WORD_BETA] = job.beta;
    words[slot + layout.WORD_SCRATCH_A] = scratchA;
    words[slot + layout.WORD_SCRATCH_B] = scratchB;
  });
  runtime.runParallel(tiles.length);
}
