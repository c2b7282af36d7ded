// Sparse weights × dense columns in WebAssembly SIMD: for each output row r (an output channel /
// feature) and image, out[r, :] = bias[r] + Σ_entries value · B[row(entry), :], where B's rows are
// addressed through a table (reduction column → float offset), so B can be a dense matrix
// (transposed activations, im2col columns) or shifted views of one zero-padded image (direct
// convolution: the im2col row of tap (c, kh, kw) is the padded plane of c starting at kh·pW + kw).
// Only stored entries are visited: CSR (row pointers + int32 columns) or N:M (n slots per group of
// m, uint8 positions; zero padding slots are skipped). The job's rows are first resolved into
// (value, byte offset) pairs in per-thread scratch; then strips of 48 columns accumulate in twelve
// f32x4 registers (independent FMA chains); a last partial strip is computed whole (the host
// leaves 192 bytes of slack after every B) and only its wanted columns are stored. Rows whose
// output is not contiguous on the B grid (direct convolution) are computed into scratch and
// copied out in segments.
// The readable oracle is src/sparse/sparse-reference.ts (see src/sparse/*.test.ts).
import * as job from './sparse-job-layout';

/** Bytes into the job slot of the 192-byte tile scratch (after the slot's words). */
const TILE_OFFSET: usize = 256;

function word(slot: usize, index: i32): i32 {
  return load<i32>(slot + (<usize>index << 2));
}

function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

/** Resolves CSR row `row` into (value, byte offset) pairs at `pairs`; returns the pair count. */
function resolveCsrRow(slot: usize, row: i32, pairs: usize): i32 {
  const values = <usize>word(slot, job.WORD_VALUES);
  const columns = <usize>word(slot, job.WORD_INDICES);
  const pointers = <usize>word(slot, job.WORD_POINTERS);
  const offsets = <usize>word(slot, job.WORD_OFFSETS);
  const start = load<i32>(pointers + (<usize>row << 2));
  const end = load<i32>(pointers + (<usize>(row + 1) << 2));
  let count = 0;
  for (let entry = start; entry < end; entry++) {
    const value = load<f32>(values + (<usize>entry << 2));
    if (value === 0) continue;
    const column = load<i32>(columns + (<usize>entry << 2));
    const target = pairs + (<usize>count << 3);
    store<f32>(target, value);
    store<i32>(target, load<i32>(offsets + (<usize>column << 2)) << 2, 4);
    count++;
  }
  return count;
}

/** Resolves N:M row `row` (groups of m, n slots each) into (value, byte offset) pairs. */
function resolveNmRow(slot: usize, row: i32, pairs: usize): i32 {
  const values = <usize>word(slot, job.WORD_VALUES);
  const positions = <usize>word(slot, job.WORD_INDICES);
  const groups = word(slot, job.WORD_POINTERS);
  const offsets = <usize>word(slot, job.WORD_OFFSETS);
  const n = word(slot, job.WORD_NM_N);
  const m = word(slot, job.WORD_NM_M);
  let entry = row * groups * n;
  let count = 0;
  for (let group = 0; group < groups; group++) {
    for (let kept = 0; kept < n; kept++, entry++) {
      const value = load<f32>(values + (<usize>entry << 2));
      if (value === 0) continue;
      const column = group * m + <i32>load<u8>(positions + <usize>entry);
      const target = pairs + (<usize>count << 3);
      store<f32>(target, value);
      store<i32>(target, load<i32>(offsets + (<usize>column << 2)) << 2, 4);
      count++;
    }
  }
  return count;
}

/** Columns of one register strip: twelve f32x4 accumulators (twelve independent FMA chains hide the
 * FMA latency; sixteen would spill on x64's sixteen vector registers). */
const STRIP: i32 = 48;

/**
 * out[0, 48) = bias + Σ_pairs value · B[offset + column]: one strip of twelve f32x4 accumulators.
 * Reads 48 columns even when fewer are wanted (B has slack after it).
 */
function stripSums(pairs: usize, end: usize, base: usize, start: v128, out: usize): void {
  let a0 = start, a1 = start, a2 = start, a3 = start, a4 = start, a5 = start, a6 = start, a7 = start;
  let a8 = start, a9 = start, a10 = start, a11 = start;
  for (let pair = pairs; pair < end; pair += 8) {
    const value = v128.load32_splat(pair);
    const source = base + <usize>load<i32>(pair, 4);
    a0 = madd(value, v128.load(source), a0);
    a1 = madd(value, v128.load(source, 16), a1);
    a2 = madd(value, v128.load(source, 32), a2);
    a3 = madd(value, v128.load(source, 48), a3);
    a4 = madd(value, v128.load(source, 64), a4);
    a5 = madd(value, v128.load(source, 80), a5);
    a6 = madd(value, v128.load(source, 96), a6);
    a7 = madd(value, v128.load(source, 112), a7);
    a8 = madd(value, v128.load(source, 128), a8);
    a9 = madd(value, v128.load(source, 144), a9);
    a10 = madd(value, v128.load(source, 160), a10);
    a11 = madd(value, v128.load(source, 176), a11);
  }
  v128.store(out, a0);
  v128.store(out, a1, 16);
  v128.store(out, a2, 32);
  v128.store(out, a3, 48);
  v128.store(out, a4, 64);
  v128.store(out, a5, 80);
  v128.store(out, a6, 96);
  v128.store(out, a7, 112);
  v128.store(out, a8, 128);
  v128.store(out, a9, 144);
  v128.store(out, a10, 160);
  v128.store(out, a11, 176);
}

/** out[0, 16) = bias + Σ_pairs value · B[offset + column]: a narrow strip for short tails. */
function narrowStripSums(pairs: usize, end: usize, base: usize, start: v128, out: usize): void {
  let a0 = start, a1 = start, a2 = start, a3 = start;
  for (let pair = pairs; pair < end; pair += 8) {
    const value = v128.load32_splat(pair);
    const source = base + <usize>load<i32>(pair, 4);
    a0 = madd(value, v128.load(source), a0);
    a1 = madd(value, v128.load(source, 16), a1);
    a2 = madd(value, v128.load(source, 32), a2);
    a3 = madd(value, v128.load(source, 48), a3);
  }
  v128.store(out, a0);
  v128.store(out, a1, 16);
  v128.store(out, a2, 32);
  v128.store(out, a3, 48);
}

/** target[0, columns) = bias + Σ_pairs value · B[offset + column] for one image; `tile` is 192 bytes of scratch. */
function computeRow(pairs: usize, count: i32, b: usize, columns: i32, bias: f32, target: usize, tile: usize): void {
  const end = pairs + (<usize>count << 3);
  const start = f32x4.splat(bias);
  let col = 0;
  for (; col + STRIP <= columns; col += STRIP) stripSums(pairs, end, b + (<usize>col << 2), start, target + (<usize>col << 2));
  const rest = columns - col;
  if (rest === 0) return;
  // the last partial strip: computed whole into the tile (a narrow one for ≤ 16 columns), then copied
  if (rest <= 16) narrowStripSums(pairs, end, b + (<usize>col << 2), start, tile);
  else stripSums(pairs, end, b + (<usize>col << 2), start, tile);
  copyFloats(tile, target + (<usize>col << 2), rest);
}

/** Copies `count` floats (v128 while at least 4 remain). */
function copyFloats(source: usize, target: usize, count: i32): void {
  let index = 0;
  for (; index + 4 <= count; index += 4) v128.store(target + (<usize>index << 2), v128.load(source + (<usize>index << 2)));
  for (; index < count; index++) store<f32>(target + (<usize>index << 2), load<f32>(source + (<usize>index << 2)));
}

/** Copies the kept segments of a computed row (segments of `length` every `stride` columns). */
function emitSegments(scratch: usize, columns: i32, length: i32, stride: i32, out: usize): void {
  const segments = (columns - length) / stride + 1;
  for (let segment = 0; segment < segments; segment++) {
    copyFloats(scratch + (<usize>(segment * stride) << 2), out + (<usize>(segment * length) << 2), length);
  }
}

/** Resolves rows [row0, row0 + rows) into pairs after a table of (rows + 1) pair starts. */
function resolveRows(slot: usize, nm: bool, row0: i32, rows: i32, resolved: usize): usize {
  const pairs = resolved + ((<usize>(rows + 1) * 4 + 15) & ~15);
  let total = 0;
  for (let index = 0; index < rows; index++) {
    store<i32>(resolved + (<usize>index << 2), total);
    const target = pairs + (<usize>total << 3);
    total += nm ? resolveNmRow(slot, row0 + index, target) : resolveCsrRow(slot, row0 + index, target);
  }
  store<i32>(resolved + (<usize>rows << 2), total);
  return pairs;
}

/** One SpMM job over rows [row0, row0 + rows) × images [image0, image0 + images): the rows are
 * resolved into this thread's scratch (`resolved`), then the thread takes work units — (image,
 * block of rows) — from the shared counter until none are left, so a thread that a busy machine
 * delays simply takes fewer units. */
export function sparseRowsJob(slot: usize, nm: bool, resolved: usize): void {
  const tile = slot + TILE_OFFSET;
  const row0 = word(slot, job.WORD_ROW0);
  const rows = word(slot, job.WORD_ROWS);
  const image0 = word(slot, job.WORD_IMAGE0);
  const images = word(slot, job.WORD_IMAGES);
  const columns = word(slot, job.WORD_COLUMNS);
  const length = word(slot, job.WORD_SEGMENT_LENGTH);
  const stride = word(slot, job.WORD_SEGMENT_STRIDE);
  const scratch = <usize>word(slot, job.WORD_SCRATCH);
  const bias = <usize>word(slot, job.WORD_BIAS);
  const bImageStride = <usize>word(slot, job.WORD_B_IMAGE_STRIDE);
  const outRowStride = <usize>word(slot, job.WORD_OUT_ROW_STRIDE);
  const outImageStride = <usize>word(slot, job.WORD_OUT_IMAGE_STRIDE);
  const counter = <usize>word(slot, job.WORD_COUNTER);
  const rowBlock = max(1, word(slot, job.WORD_ROW_BLOCK));
  const blocks = (rows + rowBlock - 1) / rowBlock;
  const compact = length !== columns;
  const pairs = resolveRows(slot, nm, row0, rows, resolved);
  for (;;) {
    const unit = atomic.add<i32>(counter, 1);
    if (unit >= images * blocks) break;
    const image = image0 + unit / blocks;
    const first = (unit % blocks) * rowBlock;
    const source = <usize>word(slot, job.WORD_B) + <usize>image * bImageStride;
    const outImage = <usize>word(slot, job.WORD_OUT) + <usize>image * outImageStride;
    for (let index = first; index < min(rows, first + rowBlock); index++) {
      const row = row0 + index;
      const start = load<i32>(resolved + (<usize>index << 2));
      const count = load<i32>(resolved + (<usize>(index + 1) << 2)) - start;
      const rowPairs = pairs + (<usize>start << 3);
      const rowBias: f32 = bias !== 0 ? load<f32>(bias + (<usize>row << 2)) : 0;
      const target = outImage + <usize>row * outRowStride;
      if (!compact) {
        computeRow(rowPairs, count, source, columns, rowBias, target, tile);
        continue;
      }
      computeRow(rowPairs, count, source, columns, rowBias, scratch, tile);
      emitSegments(scratch, columns, length, stride, target);
    }
  }
}
