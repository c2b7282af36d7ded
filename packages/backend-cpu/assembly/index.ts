// Entry of the GEMM WebAssembly module: runJob(slot) reads one job description from a slot in
// the (shared) memory — see job-layout.ts — and computes its tile of C. The same exported
// function is called by the calling thread and by every worker of src/wasm/thread-pool.ts.
// Memory is imported and managed by the host (no allocator: the stub runtime is never used).

import { gemmF32Tile } from './gemm-f32';
import { gemmInt8Tile } from './gemm-int8';
import * as job from './job-layout';
import { isSparseJob, runSparseJob } from './sparse-jobs';
import { isConvJob, runConvJob } from './conv-jobs';
import { isSharedGemmJob, runSharedGemmJob } from './gemm-f32-shared';
import { isInt8ConvJob, runInt8ConvJob } from './conv-int8';
import { isInt8PoolJob, runInt8PoolJob } from './pool-int8';
import { isTrainingJob, runTrainingJob } from './training-jobs';

function word(slot: usize, index: i32): i32 {
  return load<i32>(slot + (<usize>index << 2));
}

export function runJob(slot: usize): void {
  const kind = word(slot, job.WORD_KIND);
  const tile = slot + job.TILE_OFFSET;
  if (isInt8ConvJob(kind)) {
    runInt8ConvJob(slot);
    return;
  }
  if (isInt8PoolJob(kind)) {
    runInt8PoolJob(slot);
    return;
  }
  if (kind === job.JOB_F32_GEMM) {
    gemmF32Tile(
      word(slot, job.WORD_A), word(slot, job.WORD_LDA), word(slot, job.WORD_TRANS_A) !== 0,
      word(slot, job.WORD_B), word(slot, job.WORD_LDB), word(slot, job.WORD_TRANS_B) !== 0,
      word(slot, job.WORD_C), word(slot, job.WORD_LDC),
      word(slot, job.WORD_ROW0), word(slot, job.WORD_ROWS), word(slot, job.WORD_COL0), word(slot, job.WORD_COLS),
      word(slot, job.WORD_DEPTH),
      reinterpret<f32>(word(slot, job.WORD_ALPHA)), reinterpret<f32>(word(slot, job.WORD_BETA)),
      word(slot, job.WORD_SCRATCH_A), word(slot, job.WORD_SCRATCH_B), tile,
    );
  } else if (kind === job.JOB_INT8_GEMM) {
    const flags = word(slot, job.WORD_FLAGS);
    gemmInt8Tile(
      word(slot, job.WORD_A), word(slot, job.WORD_LDA), (flags & 1) !== 0, word(slot, job.WORD_ALPHA),
      word(slot, job.WORD_B), word(slot, job.WORD_LDB), (flags & 2) !== 0, word(slot, job.WORD_BETA),
      word(slot, job.WORD_C), word(slot, job.WORD_LDC),
      word(slot, job.WORD_ROW0), word(slot, job.WORD_ROWS), word(slot, job.WORD_COL0), word(slot, job.WORD_COLS),
      word(slot, job.WORD_DEPTH),
      word(slot, job.WORD_SCRATCH_A), word(slot, job.WORD_SCRATCH_B), tile,
    );
  } else if (isSparseJob(kind)) {
    runSparseJob(slot, kind);
  } else if (isConvJob(kind)) {
    runConvJob(slot, kind);
  } else if (isSharedGemmJob(kind)) {
    runSharedGemmJob(slot, kind, tile);
  } else if (isTrainingJob(kind)) {
    runTrainingJob(slot, kind);
  }
}
