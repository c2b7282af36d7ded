// Multi-threaded float32 GEMM with shared packing and dynamic scheduling, in two jobs run one
// after the other on every thread: (1) JOB_F32_PACK_B packs all of op(B) once into a shared
// area (depth blocks of BLOCK_K × column panels of NR, the layout gemm-f32.ts's macro kernel
// reads), the threads taking panels from an atomic counter; (2) JOB_F32_GEMM_ROWS computes C in
// row blocks (≤ BLOCK_M rows) taken from the counter: per depth block, pack the block's rows of op(A),
// then the macro kernel over all columns. No thread repacks another's B, and a thread the OS runs
// late just takes fewer blocks. Every element sums its depth blocks in the same order as
// gemmF32Tile, so results equal the single-thread kernel's bit for bit.
import { BLOCK_K, NR, macroKernel, packA, packB, scaleTile } from './gemm-f32';
import * as job from './job-layout';

const COUNTER_BYTES: usize = 64; // the shared area starts with the counter (own cache line)

function word(slot: usize, index: i32): i32 {
  return load<i32>(slot + (<usize>index << 2));
}

export function isSharedGemmJob(kind: i32): bool {
  return kind === job.JOB_F32_PACK_B || kind === job.JOB_F32_GEMM_ROWS;
}

/** Runs this thread's share of a shared-GEMM phase. */
export function runSharedGemmJob(slot: usize, kind: i32, tile: usize): void {
  const shared = <usize>word(slot, job.WORD_SHARED);
  const units = word(slot, job.WORD_UNITS);
  const chunk = max(1, word(slot, job.WORD_CHUNK));
  for (;;) {
    const start = atomic.add<i32>(shared, chunk);
    if (start >= units) break;
    const count = min(chunk, units - start);
    if (kind === job.JOB_F32_PACK_B) packPanels(slot, shared + COUNTER_BYTES, start, count);
    else computeRows(slot, shared + COUNTER_BYTES, start, count, tile);
  }
}

/** Bytes of one depth block of the packed B: all column panels at full BLOCK_K depth. */
function blockBytes(n: i32): usize {
  return (<usize>((n + NR - 1) / NR) * BLOCK_K * NR) << 2;
}

/** Panels [first, first + count): panel u = (depth block u / panels, column panel u % panels). */
function packPanels(slot: usize, packed: usize, first: i32, count: i32): void {
  const transB = word(slot, job.WORD_TRANS_B) !== 0;
  const ldb = word(slot, job.WORD_LDB);
  const n = word(slot, job.WORD_COLS);
  const k = word(slot, job.WORD_DEPTH);
  const panels = (n + NR - 1) / NR;
  for (let unit = first; unit < first + count; unit++) {
    const block = unit / panels;
    const panel = unit % panels;
    const depth0 = block * BLOCK_K;
    const kc = min(BLOCK_K, k - depth0);
    const target = packed + <usize>block * blockBytes(n) + ((<usize>panel * kc * NR) << 2);
    packB(word(slot, job.WORD_B), transB ? 1 : ldb, transB ? ldb : 1, depth0, kc, panel * NR, min(NR, n - panel * NR), target);
  }
}

/** Row blocks [first, first + count) of C = alpha · op(A) · op(B) + beta · C. */
function computeRows(slot: usize, packed: usize, first: i32, count: i32, tile: usize): void {
  const transA = word(slot, job.WORD_TRANS_A) !== 0;
  const lda = word(slot, job.WORD_LDA);
  const ldc = word(slot, job.WORD_LDC);
  const m = word(slot, job.WORD_ROWS);
  const n = word(slot, job.WORD_COLS);
  const k = word(slot, job.WORD_DEPTH);
  const alpha = reinterpret<f32>(word(slot, job.WORD_ALPHA));
  const beta = reinterpret<f32>(word(slot, job.WORD_BETA));
  const scratchA = <usize>word(slot, job.WORD_SCRATCH_A);
  const c = <usize>word(slot, job.WORD_C);
  const unitRows = word(slot, job.WORD_UNIT_ROWS);
  for (let unit = first; unit < first + count; unit++) {
    const row0 = unit * unitRows;
    const mc = min(unitRows, m - row0);
    if (beta !== 0 && beta !== 1) scaleTile(c, ldc, row0, mc, 0, n, beta);
    const cBlock = c + ((<usize>row0 * ldc) << 2);
    for (let depth0 = 0, block = 0; depth0 < k; depth0 += BLOCK_K, block++) {
      const kc = min(BLOCK_K, k - depth0);
      packA(word(slot, job.WORD_A), transA ? 1 : lda, transA ? lda : 1, row0, mc, depth0, kc, scratchA);
      macroKernel(mc, n, kc, scratchA, packed + <usize>block * blockBytes(n), cBlock, <usize>ldc << 2, alpha, beta === 0 && depth0 === 0, tile);
    }
  }
}
