// Float32 GEMM tile in WebAssembly SIMD: C[tile] = alpha · op(A) · op(B) + beta · C[tile].
// GotoBLAS/BLIS structure: KC × NC panels of B and MC × KC blocks of A are packed (zero-padded)
// into per-thread scratch, then a 2×16 register micro-tile (eight f32x4 accumulators) sweeps
// them. 2×16 rather than 4×8 or 6×8: V8 (x64) schedules all loads of an iteration before its
// multiply-adds and has 15 allocatable vector registers, so accumulators + B vectors + A splats
// must stay ≤ 15 (8 + 4 + 2 here); 2×16 measured ~6% faster than 4×8, larger tiles spill.
// Built twice: plain SIMD (mul + add) and relaxed SIMD (f32x4.relaxed_madd, a fused FMA on x64).
// The readable oracle is src/fast/gemm.ts / a naive loop (see src/wasm/wasm-gemm.test.ts).

export const MR: i32 = 2; // micro-tile rows
export const NR: i32 = 16; // micro-tile columns (four f32x4)
export const BLOCK_K: i32 = 256;
export const BLOCK_M: i32 = 96;
export const BLOCK_N: i32 = 2048;
/** Bytes of the clipped-tile scratch a caller must provide (MR × NR floats). */
export const TILE_BYTES: i32 = MR * NR * 4;

export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

/** One job: the (rows × cols) tile of C at (row0, col0), full depth k. Addresses are bytes. */
export function gemmF32Tile(
  a: usize, lda: i32, transA: bool,
  b: usize, ldb: i32, transB: bool,
  c: usize, ldc: i32,
  row0: i32, rows: i32, col0: i32, cols: i32, k: i32,
  alpha: f32, beta: f32,
  scratchA: usize, scratchB: usize, tile: usize,
): void {
  const skip = rows <= 0 || cols <= 0 || k <= 0 || alpha === 0;
  // beta = 0 needs no pass over C: the first depth block overwrites it
  if (skip || (beta !== 0 && beta !== 1)) scaleTile(c, ldc, row0, rows, col0, cols, beta);
  if (skip) return;
  const overwrite = beta === 0;
  // strided views: element (i, j) of op(X) is at x + 4 · (i · rowStride + j · colStride)
  const aRowStride = transA ? 1 : lda;
  const aColStride = transA ? lda : 1;
  const bRowStride = transB ? 1 : ldb;
  const bColStride = transB ? ldb : 1;
  const ldcBytes = <usize>ldc << 2;
  for (let jc = 0; jc < cols; jc += BLOCK_N) {
    const nc = min(BLOCK_N, cols - jc);
    for (let pc = 0; pc < k; pc += BLOCK_K) {
      const kc = min(BLOCK_K, k - pc);
      packB(b, bRowStride, bColStride, pc, kc, col0 + jc, nc, scratchB);
      for (let ic = 0; ic < rows; ic += BLOCK_M) {
        const mc = min(BLOCK_M, rows - ic);
        packA(a, aRowStride, aColStride, row0 + ic, mc, pc, kc, scratchA);
        const cBlock = c + <usize>(row0 + ic) * ldcBytes + (<usize>(col0 + jc) << 2);
        macroKernel(mc, nc, kc, scratchA, scratchB, cBlock, ldcBytes, alpha, overwrite && pc === 0, tile);
      }
    }
  }
}

export function scaleTile(c: usize, ldc: i32, row0: i32, rows: i32, col0: i32, cols: i32, beta: f32): void {
  if (beta === 1) return;
  for (let r = 0; r < rows; r++) {
    const start = c + ((<usize>(row0 + r) * ldc + col0) << 2);
    if (beta === 0) {
      memory.fill(start, 0, <usize>cols << 2);
    } else {
      for (let j = 0; j < cols; j++) store<f32>(start + (j << 2), load<f32>(start + (j << 2)) * beta);
    }
  }
}

/** Packed A: ceil(mc/MR) panels of (kc, MR), rows zero-padded past mc. */
export function packA(base: usize, rs: i32, cs: i32, row0: i32, mc: i32, depth0: i32, kc: i32, dst: usize): void {
  for (let i0 = 0; i0 < mc; i0 += MR) {
    const rows = min(MR, mc - i0);
    const src = base + ((<usize>(row0 + i0) * rs + <usize>depth0 * cs) << 2);
    if (rows === MR && cs === 1) packRowPair(src, <usize>rs << 2, kc, dst);
    else if (rows === MR && rs === 1) {
      // transposed storage: the two rows of one depth are adjacent
      const step = <usize>cs << 2;
      for (let p = 0; p < kc; p++) store<u64>(dst + (<usize>p << 3), load<u64>(src + <usize>p * step));
    } else {
      for (let p = 0; p < kc; p++) {
        const at = src + ((<usize>p * cs) << 2);
        store<f32>(dst + (<usize>p << 3), load<f32>(at));
        store<f32>(dst + (<usize>p << 3) + 4, rows > 1 ? load<f32>(at + ((<usize>rs) << 2)) : 0);
      }
    }
    dst += <usize>kc << 3;
  }
}

/** Interleaves two contiguous rows (`step` bytes apart) depth by depth: r0[p], r1[p], … */
function packRowPair(src: usize, step: usize, kc: i32, dst: usize): void {
  let p = 0;
  for (; p + 4 <= kc; p += 4) {
    const first = v128.load(src + (<usize>p << 2));
    const second = v128.load(src + step + (<usize>p << 2));
    v128.store(dst + (<usize>p << 3), i32x4.shuffle(first, second, 0, 4, 1, 5));
    v128.store(dst + (<usize>p << 3), i32x4.shuffle(first, second, 2, 6, 3, 7), 16);
  }
  for (; p < kc; p++) {
    store<f32>(dst + (<usize>p << 3), load<f32>(src + (<usize>p << 2)));
    store<f32>(dst + (<usize>p << 3), load<f32>(src + step + (<usize>p << 2)), 4);
  }
}

/** Packed B: ceil(nc/NR) panels of (kc, NR), columns zero-padded past nc. */
export function packB(base: usize, rs: i32, cs: i32, depth0: i32, kc: i32, col0: i32, nc: i32, dst: usize): void {
  for (let j0 = 0; j0 < nc; j0 += NR) {
    const cols = min(NR, nc - j0);
    let src = base + ((<usize>depth0 * rs + <usize>(col0 + j0) * cs) << 2);
    if (cols === NR && cs === 1) {
      const step = <usize>rs << 2;
      for (let p = 0; p < kc; p++) {
        v128.store(dst, v128.load(src));
        v128.store(dst, v128.load(src, 16), 16);
        v128.store(dst, v128.load(src, 32), 32);
        v128.store(dst, v128.load(src, 48), 48);
        src += step;
        dst += 64;
      }
    } else if (cols === NR && rs === 1) {
      packTransposedPanel(src, <usize>cs << 2, kc, dst);
      dst += <usize>kc << 6;
    } else {
      packClippedPanel(src, rs, cs, kc, cols, dst);
      dst += <usize>kc << 6;
    }
  }
}

/** A full panel of transposed storage: each column is contiguous along depth; 4 × 4 transposes. */
function packTransposedPanel(src: usize, step: usize, kc: i32, dst: usize): void {
  let p = 0;
  for (; p + 4 <= kc; p += 4) {
    const from = src + (<usize>p << 2);
    const to = dst + (<usize>p << 6);
    transpose4(from, step, to, 64);
    transpose4(from + 4 * step, step, to + 16, 64);
    transpose4(from + 8 * step, step, to + 32, 64);
    transpose4(from + 12 * step, step, to + 48, 64);
  }
  for (; p < kc; p++) {
    for (let j = 0; j < NR; j++) store<f32>(dst + (<usize>p << 6) + (<usize>j << 2), load<f32>(src + <usize>j * step + (<usize>p << 2)));
  }
}

/** A clipped panel (cols < NR): walk each column along depth, zeros past `cols`. */
function packClippedPanel(src: usize, rs: i32, cs: i32, kc: i32, cols: i32, dst: usize): void {
  for (let j = 0; j < NR; j++) {
    const column = src + ((<usize>j * cs) << 2);
    const target = dst + (<usize>j << 2);
    for (let p = 0; p < kc; p++) {
      const value: f32 = j < cols ? load<f32>(column + ((<usize>p * rs) << 2)) : 0;
      store<f32>(target + (<usize>p << 6), value);
    }
  }
}

/** Reads 4 vectors of 4 floats (source rows `sourceStride` bytes apart) and writes their transpose. */
export function transpose4(source: usize, sourceStride: usize, target: usize, targetStride: usize): void {
  const r0 = v128.load(source);
  const r1 = v128.load(source + sourceStride);
  const r2 = v128.load(source + 2 * sourceStride);
  const r3 = v128.load(source + 3 * sourceStride);
  const t0 = i32x4.shuffle(r0, r1, 0, 4, 1, 5);
  const t1 = i32x4.shuffle(r0, r1, 2, 6, 3, 7);
  const t2 = i32x4.shuffle(r2, r3, 0, 4, 1, 5);
  const t3 = i32x4.shuffle(r2, r3, 2, 6, 3, 7);
  v128.store(target, i32x4.shuffle(t0, t2, 0, 1, 4, 5));
  v128.store(target + targetStride, i32x4.shuffle(t0, t2, 2, 3, 6, 7));
  v128.store(target + 2 * targetStride, i32x4.shuffle(t1, t3, 0, 1, 4, 5));
  v128.store(target + 3 * targetStride, i32x4.shuffle(t1, t3, 2, 3, 6, 7));
}

export function macroKernel(mc: i32, nc: i32, kc: i32, packedA: usize, packedB: usize, c: usize, ldcBytes: usize, alpha: f32, overwrite: bool, tile: usize): void {
  for (let j0 = 0; j0 < nc; j0 += NR) {
    const cols = min(NR, nc - j0);
    const panelB = packedB + ((<usize>j0 * kc) << 2);
    for (let i0 = 0; i0 < mc; i0 += MR) {
      const rows = min(MR, mc - i0);
      const out = c + <usize>i0 * ldcBytes + (<usize>j0 << 2);
      microKernel(kc, packedA + ((<usize>i0 * kc) << 2), panelB, tile);
      if (rows === MR && cols === NR) storeFullTile(tile, out, ldcBytes, alpha, overwrite);
      else storeClippedTile(tile, out, ldcBytes, rows, cols, alpha, overwrite);
    }
  }
}

/** tile (MR × NR, row-major) = panelA(kc, MR)ᵀ · panelB(kc, NR), or += with `accumulate`. */
export function microKernel(kc: i32, pa: usize, pb: usize, tile: usize, accumulate: bool = false): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0), c02 = f32x4.splat(0), c03 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0), c12 = f32x4.splat(0), c13 = f32x4.splat(0);
  const end = pa + (<usize>kc << 3);
  while (pa < end) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    const b2 = v128.load(pb, 32);
    const b3 = v128.load(pb, 48);
    const a0 = v128.load32_splat(pa);
    c00 = madd(a0, b0, c00);
    c01 = madd(a0, b1, c01);
    c02 = madd(a0, b2, c02);
    c03 = madd(a0, b3, c03);
    const a1 = v128.load32_splat(pa, 4);
    c10 = madd(a1, b0, c10);
    c11 = madd(a1, b1, c11);
    c12 = madd(a1, b2, c12);
    c13 = madd(a1, b3, c13);
    pa += 8;
    pb += 64;
  }
  if (accumulate) {
    c00 = f32x4.add(v128.load(tile), c00);
    c01 = f32x4.add(v128.load(tile, 16), c01);
    c02 = f32x4.add(v128.load(tile, 32), c02);
    c03 = f32x4.add(v128.load(tile, 48), c03);
    c10 = f32x4.add(v128.load(tile, 64), c10);
    c11 = f32x4.add(v128.load(tile, 80), c11);
    c12 = f32x4.add(v128.load(tile, 96), c12);
    c13 = f32x4.add(v128.load(tile, 112), c13);
  }
  v128.store(tile, c00);
  v128.store(tile, c01, 16);
  v128.store(tile, c02, 32);
  v128.store(tile, c03, 48);
  v128.store(tile, c10, 64);
  v128.store(tile, c11, 80);
  v128.store(tile, c12, 96);
  v128.store(tile, c13, 112);
}

/** out[row r] (= or +=) alpha · tile[row r] for a full MR × NR tile. */
function storeFullTile(tile: usize, out: usize, ldcBytes: usize, alpha: f32, overwrite: bool): void {
  const scale = f32x4.splat(alpha);
  for (let r: usize = 0; r < <usize>MR; r++) {
    const source = tile + (r << 6);
    const target = out + r * ldcBytes;
    let v0 = v128.load(source), v1 = v128.load(source, 16), v2 = v128.load(source, 32), v3 = v128.load(source, 48);
    if (alpha !== 1) {
      v0 = f32x4.mul(v0, scale);
      v1 = f32x4.mul(v1, scale);
      v2 = f32x4.mul(v2, scale);
      v3 = f32x4.mul(v3, scale);
    }
    if (!overwrite) {
      v0 = f32x4.add(v0, v128.load(target));
      v1 = f32x4.add(v1, v128.load(target, 16));
      v2 = f32x4.add(v2, v128.load(target, 32));
      v3 = f32x4.add(v3, v128.load(target, 48));
    }
    v128.store(target, v0);
    v128.store(target, v1, 16);
    v128.store(target, v2, 32);
    v128.store(target, v3, 48);
  }
}

function storeClippedTile(tile: usize, out: usize, ldcBytes: usize, rows: i32, cols: i32, alpha: f32, overwrite: bool): void {
  for (let r = 0; r < rows; r++) {
    const row = out + <usize>r * ldcBytes;
    const source = tile + (<usize>r << 6);
    for (let j = 0; j < cols; j++) {
      const at = <usize>j << 2;
      const value = alpha * load<f32>(source + at);
      store<f32>(row + at, overwrite ? value : load<f32>(row + at) + value);
    }
  }
}
