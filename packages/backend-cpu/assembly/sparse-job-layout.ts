// Job words of the sparse kernels (sparse-spmm.ts, sparse-layout.ts) inside one job slot; the
// slot's words 0-2 (sequence, done, kind) and 21-22 (thread pool) keep their job-layout.ts
// meaning. Keep in sync with src/sparse/sparse-job-layout.ts.
export const JOB_SPARSE_CSR = 16; // weights in CSR × dense columns
export const JOB_SPARSE_NM = 17; // weights in N:M × dense columns
export const JOB_SPARSE_PAD = 18; // zero-pad image planes (direct convolution input)
export const JOB_SPARSE_TRANSPOSE = 19; // transpose a float32 matrix

// SpMM jobs (CSR and N:M)
export const WORD_VALUES = 3; // byte address of the f32 values
export const WORD_INDICES = 4; // byte address of the i32 columns (CSR) | u8 in-group positions (N:M)
export const WORD_POINTERS = 5; // byte address of the i32 row pointers (CSR) | groups per row (N:M)
export const WORD_OFFSETS = 6; // byte address of the i32 table: reduction column → float offset of its B row
export const WORD_B = 7; // byte address of image 0's B
export const WORD_B_IMAGE_STRIDE = 8; // bytes between images' B
export const WORD_OUT = 9; // byte address of image 0, row 0 of the output
export const WORD_OUT_ROW_STRIDE = 10; // bytes between output rows
export const WORD_OUT_IMAGE_STRIDE = 11; // bytes between images' outputs
export const WORD_ROW0 = 12; // the rows [row0, row0 + rows) of this job
export const WORD_ROWS = 13;
export const WORD_IMAGE0 = 14; // the images [image0, image0 + images) of this job
export const WORD_IMAGES = 15;
export const WORD_COLUMNS = 16; // columns computed per row on the B grid
export const WORD_BIAS = 17; // byte address of the f32 bias per row, 0 = none
export const WORD_NM_N = 18;
export const WORD_NM_M = 19;
export const WORD_SEGMENT_LENGTH = 23; // outputs kept per segment (= columns: no compaction)
export const WORD_SEGMENT_STRIDE = 24; // B-grid columns per segment
export const WORD_SCRATCH = 25; // byte address of this thread's row scratch (compaction only)
export const WORD_RESOLVED = 26; // byte address of this thread's scratch for the resolved entries
export const WORD_COUNTER = 27; // byte address of the shared counter of work units (threads take units by atomic add)
export const WORD_ROW_BLOCK = 28; // rows per work unit; a unit is (image, block of rows)

// pad jobs: planes [plane0, plane0 + planes) of (height, width) → (paddedHeight, paddedWidth)
export const WORD_PAD_SOURCE = 3;
export const WORD_PAD_TARGET = 4;
export const WORD_PAD_PLANE0 = 5;
export const WORD_PAD_PLANES = 6;
export const WORD_PAD_HEIGHT = 7;
export const WORD_PAD_WIDTH = 8;
export const WORD_PAD_PADDED_HEIGHT = 9;
export const WORD_PAD_PADDED_WIDTH = 10;
export const WORD_PAD_TOP = 11;
export const WORD_PAD_LEFT = 12;
export const WORD_PAD_COUNTER = 13; // shared counter: threads take planes by atomic add

// transpose jobs: target (cols, rows) ← source (rows, cols), in blocks of 4 source rows
export const WORD_TRANSPOSE_SOURCE = 3;
export const WORD_TRANSPOSE_TARGET = 4;
export const WORD_TRANSPOSE_ROWS = 5;
export const WORD_TRANSPOSE_COLS = 6;
export const WORD_TRANSPOSE_COUNTER = 7; // shared counter: threads take blocks of 4 rows by atomic add
