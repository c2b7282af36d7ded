// Layout of one job slot in shared memory (int32 words), written by src/wasm/thread-pool.ts and
// read by runJob. Keep in sync with src/wasm/job-layout.ts.
export const WORD_SEQUENCE = 0; // bumped by the caller to start a job
export const WORD_DONE = 1; // set to the sequence number by the thread when done
export const WORD_KIND = 2; // JOB_F32_GEMM | JOB_INT8_GEMM
export const WORD_A = 3; // byte address of A
export const WORD_B = 4;
export const WORD_C = 5;
export const WORD_LDA = 6; // leading dimensions in elements, as stored
export const WORD_LDB = 7;
export const WORD_LDC = 8;
export const WORD_TRANS_A = 9;
export const WORD_TRANS_B = 10;
export const WORD_ROW0 = 11; // the tile of C this job owns: rows [row0, row0 + rows)
export const WORD_ROWS = 12;
export const WORD_COL0 = 13; // columns [col0, col0 + cols)
export const WORD_COLS = 14;
export const WORD_DEPTH = 15; // k
export const WORD_ALPHA = 16; // f32 bits (float GEMM) | zero point of A (int8 GEMM)
export const WORD_BETA = 17; // f32 bits (float GEMM) | zero point of B (int8 GEMM)
export const WORD_SCRATCH_A = 18; // byte address of this thread's packed-A buffer
export const WORD_SCRATCH_B = 19; // byte address of this thread's packed-B buffer
export const WORD_FLAGS = 20; // int8 GEMM: bit 0 = A unsigned, bit 1 = B unsigned
// words 21 (error), 22 (worker state) and 31 (ticket) belong to src/wasm/thread-pool.ts
export const TILE_OFFSET = 128; // bytes into the slot: scratch for one clipped micro-tile

export const JOB_F32_GEMM = 1;
export const JOB_INT8_GEMM = 2;
export const JOB_F32_PACK_B = 3; // gemm-f32-shared.ts: the threads pack all of B once, sharing panels
export const JOB_F32_GEMM_ROWS = 4; // gemm-f32-shared.ts: the threads share row blocks of C

// words of the shared float32 GEMM jobs (with WORD_A … WORD_TRANS_B, WORD_ALPHA, WORD_BETA,
// WORD_SCRATCH_A as above; m, n, k in WORD_ROWS, WORD_COLS, WORD_DEPTH)
export const WORD_SHARED = 27; // byte address of the shared area: counter (64 bytes), then packed B
export const WORD_CHUNK = 28; // units taken at a time from the counter
export const WORD_UNITS = 29; // units of the phase (B panels, or row blocks of C)
export const WORD_UNIT_ROWS = 30; // rows of C per row block (even, ≤ BLOCK_M)
