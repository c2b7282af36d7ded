// Float32 GEMM on the WebAssembly SIMD kernel (assembly/gemm-f32.ts): copies the stored
// operands into the shared memory (compacting leading dimensions), splits C across threads,
// runs, copies C back. Same contract as sgemm in src/fast/gemm.ts, which calls this for large
// problems and keeps its TypeScript path as the fallback.
import type { GemmOptions } from '../fast/gemm.js';
import * as layout from './job-layout.js';
import { partitionOutput } from './partition.js';
import { slotAddress } from './thread-pool.js';
import { getWasmRuntime, scratchAddresses, type WasmRuntime } from './wasm-runtime.js';

/** Copies a stored (rows × cols, leading dimension ld) matrix to `target` (compactly, or with targetLd). */
export function copyCompact<T extends Float32Array | Int8Array | Uint8Array>(options: {
  source: T; offset: number; ld: number; rows: number; cols: number; target: T; targetOffset: number; targetLd?: number;
}): void {
  const { source, offset, ld, rows, cols, target, targetOffset } = options;
  const targetLd = options.targetLd ?? cols;
  if (ld === cols && targetLd === cols) {
    target.set(source.subarray(offset, offset + rows * cols), targetOffset);
    return;
  }
  for (let row = 0; row < rows; row++) {
    target.set(source.subarray(offset + row * ld, offset + row * ld + cols), targetOffset + row * targetLd);
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
    base = runtime.reserveOperands(aBytes + bBytes + cBytes + sharedGemmBytes(k, n));
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
  runF32GemmJobs(runtime, job, addresses.c + cBytes);
  copyCompact({ source: runtime.views().f32, offset: addresses.c / 4, ld: n, rows: m, cols: n, target: options.c, targetOffset: cOffset, targetLd: ldc });
  return true;
}

/** A float32 GEMM on operands already in the memory: byte addresses, row-major, leading dimensions aCols / bCols / n. */
export interface F32Job {
  a: number; b: number; c: number;
  m: number; n: number; k: number;
  aCols: number; bCols: number;
  transA: boolean; transB: boolean;
  alpha: number; beta: number;
}

/** Bytes of the shared area of runF32GemmJobs: a counter, then op(B) packed (depth × 16-column panels). */
export function sharedGemmBytes(k: number, n: number): number {
  return align16(64 + k * Math.ceil(n / layout.F32_MICRO_COLS) * layout.F32_MICRO_COLS * 4);
}

/** Rows of C below which one row block per thread would be too thin to share B panels well. */
const MIN_ROWS_PER_THREAD = 16;

/**
 * C = alpha·op(A)·op(B) + beta·C on the runtime's threads. With a `shared` area
 * (sharedGemmBytes(k, n) bytes) and enough rows, the threads pack B once together and take row
 * blocks of C from a counter (assembly/gemm-f32-shared.ts); otherwise C is split into one fixed
 * tile per thread. Results are the same either way.
 */
export function runF32GemmJobs(runtime: WasmRuntime, job: F32Job, shared?: number): void {
  const tiles = partitionOutput({ m: job.m, n: job.n, k: job.k, threads: runtime.threads, microRows: layout.F32_MICRO_ROWS, microCols: layout.F32_MICRO_COLS });
  const rowSplit = tiles.length > 1 && tiles[0]?.cols === job.n;
  if (shared !== undefined && rowSplit && job.k > 0 && job.alpha !== 0 && job.m >= MIN_ROWS_PER_THREAD * tiles.length) {
    runSharedGemm(runtime, job, shared, tiles.length);
    return;
  }
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

/** Chunks of work units per thread in each shared phase. */
const CHUNKS_PER_THREAD = 6;

/** The two shared phases: pack all of op(B) together, then share the row blocks of C. */
function runSharedGemm(runtime: WasmRuntime, job: F32Job, shared: number, parts: number): void {
  const panels = Math.ceil(job.n / layout.F32_MICRO_COLS);
  const packUnits = Math.ceil(job.k / layout.F32_BLOCK_K) * panels;
  // row blocks: about CHUNKS_PER_THREAD per thread, even, 16 to BLOCK_M rows
  const unitRows = Math.min(layout.F32_BLOCK_M, Math.max(MIN_ROWS_PER_THREAD, 2 * Math.ceil(job.m / (2 * parts * CHUNKS_PER_THREAD))));
  const rowUnits = Math.ceil(job.m / unitRows);
  const { i32: words, f32: floats } = runtime.views();
  const phase = (kind: number, units: number, chunk: number) => {
    Atomics.store(words, shared / 4, 0);
    for (let thread = 0; thread < parts; thread++) {
      const slot = slotAddress(thread) / 4;
      words[slot + layout.WORD_KIND] = kind;
      words[slot + layout.WORD_A] = job.a;
      words[slot + layout.WORD_B] = job.b;
      words[slot + layout.WORD_C] = job.c;
      words[slot + layout.WORD_LDA] = job.aCols;
      words[slot + layout.WORD_LDB] = job.bCols;
      words[slot + layout.WORD_LDC] = job.n;
      words[slot + layout.WORD_TRANS_A] = job.transA ? 1 : 0;
      words[slot + layout.WORD_TRANS_B] = job.transB ? 1 : 0;
      words[slot + layout.WORD_ROWS] = job.m;
      words[slot + layout.WORD_COLS] = job.n;
      words[slot + layout.WORD_DEPTH] = job.k;
      floats[slot + layout.WORD_ALPHA] = job.alpha;
      floats[slot + layout.WORD_BETA] = job.beta;
      words[slot + layout.WORD_SCRATCH_A] = scratchAddresses(thread).scratchA;
      words[slot + layout.WORD_SHARED] = shared;
      words[slot + layout.WORD_CHUNK] = chunk;
      words[slot + layout.WORD_UNITS] = units;
      words[slot + layout.WORD_UNIT_ROWS] = unitRows;
    }
    runtime.runParallel(parts, { shareable: true });
  };
  phase(layout.JOB_F32_PACK_B, packUnits, Math.max(1, Math.ceil(packUnits / (parts * CHUNKS_PER_THREAD))));
  phase(layout.JOB_F32_GEMM_ROWS, rowUnits, 1);
}
