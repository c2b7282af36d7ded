// Layout jobs of the sparse kernels: zero-padding image planes (the input of the direct sparse
// convolution, whose im2col rows are shifted views of the padded planes) and transposing a
// float32 matrix (SparseGemm runs on Aᵀ so that batch rows become contiguous columns).
// Oracles: the padded / transposed copies checked through src/sparse/*.test.ts results.
import * as job from './sparse-job-layout';

function word(slot: usize, index: i32): i32 {
  return load<i32>(slot + (<usize>index << 2));
}

/** Planes [plane0, plane0 + planes): (height, width) at source → zero-bordered (paddedHeight, paddedWidth),
 * the threads taking chunks of planes from the shared counter. */
export function padPlanesJob(slot: usize): void {
  const source = <usize>word(slot, job.WORD_PAD_SOURCE);
  const target = <usize>word(slot, job.WORD_PAD_TARGET);
  const plane0 = word(slot, job.WORD_PAD_PLANE0);
  const planes = word(slot, job.WORD_PAD_PLANES);
  const height = word(slot, job.WORD_PAD_HEIGHT);
  const width = word(slot, job.WORD_PAD_WIDTH);
  const paddedHeight = word(slot, job.WORD_PAD_PADDED_HEIGHT);
  const paddedWidth = word(slot, job.WORD_PAD_PADDED_WIDTH);
  const top = word(slot, job.WORD_PAD_TOP);
  const left = word(slot, job.WORD_PAD_LEFT);
  const counter = <usize>word(slot, job.WORD_PAD_COUNTER);
  const planeBytes = <usize>(height * width) << 2;
  const paddedBytes = <usize>(paddedHeight * paddedWidth) << 2;
  const chunk = PAD_CHUNK;
  for (;;) {
    const start = atomic.add<i32>(counter, chunk);
    if (start >= planes) break;
    for (let plane = plane0 + start; plane < plane0 + min(planes, start + chunk); plane++) {
      const from = source + <usize>plane * planeBytes;
      const to = target + <usize>plane * paddedBytes;
      memory.fill(to, 0, paddedBytes);
      for (let row = 0; row < height; row++) {
        copyRow(from + ((<usize>(row * width)) << 2), to + ((<usize>((row + top) * paddedWidth + left)) << 2), width);
      }
    }
  }
}

/** Planes per claim of a pad job. */
const PAD_CHUNK: i32 = 16;

/** Copies `count` floats (v128 while at least 4 remain; short rows make memory.copy's call cost dominate). */
function copyRow(source: usize, target: usize, count: i32): void {
  let index = 0;
  for (; index + 4 <= count; index += 4) v128.store(target + (<usize>index << 2), v128.load(source + (<usize>index << 2)));
  for (; index < count; index++) store<f32>(target + (<usize>index << 2), load<f32>(source + (<usize>index << 2)));
}

/** target (cols, rows) ← source (rows, cols); the threads take blocks of 4 source rows from the shared counter. */
export function transposeJob(slot: usize): void {
  const rows = word(slot, job.WORD_TRANSPOSE_ROWS);
  const counter = <usize>word(slot, job.WORD_TRANSPOSE_COUNTER);
  for (;;) {
    const block = atomic.add<i32>(counter, TRANSPOSE_BLOCK);
    if (block * 4 >= rows) break;
    transposeRows(slot, block * 4, min(rows, (block + TRANSPOSE_BLOCK) * 4));
  }
}

/** Blocks of 4 rows per claim of a transpose job. */
const TRANSPOSE_BLOCK: i32 = 8;

/** target (cols, rows) ← source (rows, cols) for source rows [row0, end); 4×4 SIMD blocks. */
function transposeRows(slot: usize, row0: i32, end: i32): void {
  const source = <usize>word(slot, job.WORD_TRANSPOSE_SOURCE);
  const target = <usize>word(slot, job.WORD_TRANSPOSE_TARGET);
  const rows = word(slot, job.WORD_TRANSPOSE_ROWS);
  const cols = word(slot, job.WORD_TRANSPOSE_COLS);
  const sourceStride = <usize>cols << 2;
  const targetStride = <usize>rows << 2;
  let row = row0;
  for (; row + 4 <= end; row += 4) {
    const from = source + <usize>row * sourceStride;
    const to = target + (<usize>row << 2);
    let col = 0;
    for (; col + 4 <= cols; col += 4) {
      const at = <usize>col << 2;
      const r0 = v128.load(from + at);
      const r1 = v128.load(from + sourceStride + at);
      const r2 = v128.load(from + 2 * sourceStride + at);
      const r3 = v128.load(from + 3 * sourceStride + at);
      const t0 = i32x4.shuffle(r0, r1, 0, 4, 1, 5);
      const t1 = i32x4.shuffle(r0, r1, 2, 6, 3, 7);
      const t2 = i32x4.shuffle(r2, r3, 0, 4, 1, 5);
      const t3 = i32x4.shuffle(r2, r3, 2, 6, 3, 7);
      const out = to + <usize>col * targetStride;
      v128.store(out, i32x4.shuffle(t0, t2, 0, 1, 4, 5));
      v128.store(out + targetStride, i32x4.shuffle(t0, t2, 2, 3, 6, 7));
      v128.store(out + 2 * targetStride, i32x4.shuffle(t1, t3, 0, 1, 4, 5));
      v128.store(out + 3 * targetStride, i32x4.shuffle(t1, t3, 2, 3, 6, 7));
    }
    for (; col < cols; col++) {
      for (let r = 0; r < 4; r++) store<f32>(to + <usize>col * targetStride + (<usize>r << 2), load<f32>(from + <usize>r * sourceStride + (<usize>col << 2)));
    }
  }
  for (; row < end; row++) {
    for (let col = 0; col < cols; col++) {
      store<f32>(target + <usize>col * targetStride + (<usize>row << 2), load<f32>(source + <usize>row * sourceStride + (<usize>col << 2)));
    }
  }
}
