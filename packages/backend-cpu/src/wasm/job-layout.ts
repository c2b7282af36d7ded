// Word indices of one job slot in the shared WebAssembly memory, and the fixed memory layout
// the host manages. Mirrors assembly/job-layout.ts (the module reads the same words).
export const WORD_SEQUENCE = 0;
export const WORD_DONE = 1;
export const WORD_KIND = 2;
export const WORD_A = 3;
export const WORD_B = 4;
export const WORD_C = 5;
export const WORD_LDA = 6;
export const WORD_LDB = 7;
export const WORD_LDC = 8;
export const WORD_TRANS_A = 9;
export const WORD_TRANS_B = 10;
export const WORD_ROW0 = 11;
export const WORD_ROWS = 12;
export const WORD_COL0 = 13;
export const WORD_COLS = 14;
export const WORD_DEPTH = 15;
export const WORD_ALPHA = 16;
export const WORD_BETA = 17;
export const WORD_SCRATCH_A = 18;
export const WORD_SCRATCH_B = 19;
export const WORD_FLAGS = 20;
// words 21 (error), 22 (worker state) and 31 (ticket) belong to src/wasm/thread-pool.ts

export const JOB_F32_GEMM = 1;
export const JOB_INT8_GEMM = 2;
export const JOB_F32_PACK_B = 3;
export const JOB_F32_GEMM_ROWS = 4;
export const WORD_SHARED = 27;
export const WORD_CHUNK = 28;
export const WORD_UNITS = 29;
export const WORD_UNIT_ROWS = 30;

/** Micro-tile of the int8 kernel (assembly/gemm-int8.ts MR × NR): its partitions align to it. */
export const MICRO_ROWS = 4;
export const MICRO_COLS = 8;
/** Micro-tile and cache blocks of the float32 kernel (assembly/gemm-f32.ts MR × NR, BLOCK_K, BLOCK_M). */
export const F32_MICRO_ROWS = 2;
export const F32_MICRO_COLS = 16;
export const F32_BLOCK_K = 256;
export const F32_BLOCK_M = 96;

// Memory map (bytes): [0, 64 KiB) module statics | job slots | arena (per-thread scratch,
// compiled graphs' buffers; src/wasm/memory-arena.ts) | transient operands of the current call.
export const PAGE_BYTES = 65536;
export const SLOT_BYTES = 512;
export const MAX_THREADS = 64;
export const SLOTS_BASE = PAGE_BYTES;
/** Packed A (96 × 256 f32, or int8: 24 rows × 256 depth pairs × 16 bytes, each pair stored four times) and packed B (2048 × 256 of either). */
export const SCRATCH_A_BYTES = 96 * 256 * 4;
export const SCRATCH_B_BYTES = 2048 * 256 * 4;
export const ARENA_BASE = SLOTS_BASE + MAX_THREADS * SLOT_BYTES;
export const MAXIMUM_PAGES = 32768;
