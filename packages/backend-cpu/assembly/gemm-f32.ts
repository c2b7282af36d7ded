// Float32 GEMM tile in WebAssembly SIMD: C[tile] = alpha · op(A) · op(B) + beta · C[tile].
// GotoBLAS/BLIS structure: KC × NC panels of B and MC × KC blocks of A are packed (zero-padded)
// into per-thread scratch, then a 4×8 register micro-tile (eight f32x4 accumulators) sweeps
// them. Built twice: plain SIMD (mul + add) and relaxed SIMD (f32x4.relaxed_madd).
// The readable oracle is src/fast/gemm.ts / a naive loop (see src/wasm/wasm-gemm.test.ts).

export const MR: i32 = 4; // micro-tile rows
export const NR: i32 = 8; // micro-tile columns (two f32x4)
export const BLOCK_K: i32 = 256;
export const BLOCK_M: i32 = 96;
export const BLOCK_N: i32 = 2048;

function madd(a: v128, b: v128, c: v128): v128 {
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
  scaleTile(c, ldc, row0, rows, col0, cols, beta);
  if (rows <= 0 || cols <= 0 || k <= 0 || alpha === 0) return;
  // strided views: element (i, j) of op(X) is at x + 4 · (i · rowStride + j · colStride)
  const aRowStride = transA ? 1 : lda;
  const aColStride = transA ? lda : 1;
  const bRowStride = transB ? 1 : ldb;
  const bColStride = transB ? ldb : 1;
  for (let jc = 0; jc < cols; jc += BLOCK_N) {
    const nc = min(BLOCK_N, cols - jc);
    for (let pc = 0; pc < k; pc += BLOCK_K) {
      const kc = min(BLOCK_K, k - pc);
      packB(b, bRowStride, bColStride, pc, kc, col0 + jc, nc, scratchB);
      for (let ic = 0; ic < rows; ic += BLOCK_M) {
        const mc = min(BLOCK_M, rows - ic);
        packA(a, aRowStride, aColStride, row0 + ic, mc, pc, kc, scratchA);
        const cBlock = c + ((<usize>(row0 + ic) * ldc + col0 + jc) << 2);
        macroKernel(mc, nc, kc, scratchA, scratchB, cBlock, ldc, alpha, tile);
      }
    }
  }
}

function scaleTile(c: usize, ldc: i32, row0: i32, rows: i32, col0: i32, cols: i32, beta: f32): void {
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
function packA(base: usize, rs: i32, cs: i32, row0: i32, mc: i32, depth0: i32, kc: i32, dst: usize): void {
  for (let i0 = 0; i0 < mc; i0 += MR) {
    const rows = min(MR, mc - i0);
    let src = base + ((<usize>(row0 + i0) * rs + <usize>depth0 * cs) << 2);
    if (rows === MR && rs === 1) {
      // transposed storage: the MR rows of one depth are contiguous
      for (let p = 0; p < kc; p++) {
        v128.store(dst, v128.load(src));
        src += <usize>cs << 2;
        dst += 16;
      }
    } else if (rows === MR) {
      const step = <usize>rs << 2;
      let p = 0;
      for (; p + 4 <= kc; p += 4) {
        transpose4(src, step, dst, 16);
        src += <usize>cs << 4;
        dst += 64;
      }
      for (; p < kc; p++) {
        store<f32>(dst, load<f32>(src));
        store<f32>(dst, load<f32>(src + step), 4);
        store<f32>(dst, load<f32>(src + 2 * step), 8);
        store<f32>(dst, load<f32>(src + 3 * step), 12);
        src += <usize>cs << 2;
        dst += 16;
      }
    } else {
      for (let p = 0; p < kc; p++) {
        for (let r = 0; r < MR; r++) {
          const value: f32 = r < rows ? load<f32>(src + ((<usize>r * rs) << 2)) : 0;
          store<f32>(dst + (<usize>r << 2), value);
        }
        src += <usize>cs << 2;
        dst += 16;
      }
    }
  }
}

/** Packed B: ceil(nc/NR) panels of (kc, NR), columns zero-padded past nc. */
function packB(base: usize, rs: i32, cs: i32, depth0: i32, kc: i32, col0: i32, nc: i32, dst: usize): void {
  for (let j0 = 0; j0 < nc; j0 += NR) {
    const cols = min(NR, nc - j0);
    let src = base + ((<usize>depth0 * rs + <usize>(col0 + j0) * cs) << 2);
    if (cols === NR && cs === 1) {
      for (let p = 0; p < kc; p++) {
        v128.store(dst, v128.load(src));
        v128.store(dst, v128.load(src, 16), 16);
        src += <usize>rs << 2;
        dst += 32;
      }
    } else if (cols === NR && rs === 1) {
      // transposed storage: each column is contiguous along depth; 4 × 4 transposes
      const step = <usize>cs << 2;
      let p = 0;
      for (; p + 4 <= kc; p += 4) {
        transpose4(src + (<usize>p << 2), step, dst + (<usize>p << 5), 32);
        transpose4(src + (<usize>p << 2) + 4 * step, step, dst + (<usize>p << 5) + 16, 32);
      }
      for (; p < kc; p++) {
        for (let j = 0; j < NR; j++) store<f32>(dst + (<usize>p << 5) + (<usize>j << 2), load<f32>(src + <usize>j * step + (<usize>p << 2)));
      }
      dst += <usize>kc << 5;
    } else {
      // a clipped panel: walk each column along depth
      for (let j = 0; j < NR; j++) {
        const column = src + ((<usize>j * cs) << 2);
        const target = dst + (<usize>j << 2);
        for (let p = 0; p < kc; p++) {
          const value: f32 = j < cols ? load<f32>(column + ((<usize>p * rs) << 2)) : 0;
          store<f32>(target + (<usize>p << 5), value);
        }
      }
      dst += <usize>kc << 5;
    }
  }
}

/** Reads 4 vectors of 4 floats (source rows `sourceStride` bytes apart) and writes their transpose. */
function transpose4(source: usize, sourceStride: usize, target: usize, targetStride: usize): void {
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

function macroKernel(mc: i32, nc: i32, kc: i32, packedA: usize, packedB: usize, c: usize, ldc: i32, alpha: f32, tile: usize): void {
  const ldcBytes = <usize>ldc << 2;
  for (let j0 = 0; j0 < nc; j0 += NR) {
    const cols = min(NR, nc - j0);
    const panelB = packedB + ((<usize>j0 * kc) << 2);
    for (let i0 = 0; i0 < mc; i0 += MR) {
      const rows = min(MR, mc - i0);
      const panelA = packedA + ((<usize>i0 * kc) << 2);
      const out = c + <usize>i0 * ldcBytes + (<usize>j0 << 2);
      microKernel(kc, panelA, panelB, out, ldcBytes, rows, cols, alpha, tile);
    }
  }
}

/** C[out: rows × cols] += alpha · panelA(kc, MR)ᵀ · panelB(kc, NR). */
function microKernel(kc: i32, pa: usize, pb: usize, out: usize, ldcBytes: usize, rows: i32, cols: i32, alpha: f32, tile: usize): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let a = v128.load32_splat(pa);
    c00 = madd(a, b0, c00);
    c01 = madd(a, b1, c01);
    a = v128.load32_splat(pa, 4);
    c10 = madd(a, b0, c10);
    c11 = madd(a, b1, c11);
    a = v128.load32_splat(pa, 8);
    c20 = madd(a, b0, c20);
    c21 = madd(a, b1, c21);
    a = v128.load32_splat(pa, 12);
    c30 = madd(a, b0, c30);
    c31 = madd(a, b1, c31);
    pa += 16;
    pb += 32;
  }
  const scale = f32x4.splat(alpha);
  const full = rows === MR && cols === NR;
  const target = full ? out : tile;
  const stride = full ? ldcBytes : 32;
  addRow(target, c00, c01, scale, full);
  addRow(target + stride, c10, c11, scale, full);
  addRow(target + 2 * stride, c20, c21, scale, full);
  addRow(target + 3 * stride, c30, c31, scale, full);
  if (!full) addClipped(tile, out, ldcBytes, rows, cols);
}

function addRow(target: usize, low: v128, high: v128, scale: v128, accumulate: bool): void {
  if (accumulate) {
    v128.store(target, f32x4.add(v128.load(target), f32x4.mul(scale, low)));
    v128.store(target, f32x4.add(v128.load(target, 16), f32x4.mul(scale, high)), 16);
  } else {
    v128.store(target, f32x4.mul(scale, low));
    v128.store(target, f32x4.mul(scale, high), 16);
  }
}

function addClipped(tile: usize, out: usize, ldcBytes: usize, rows: i32, cols: i32): void {
  for (let r = 0; r < rows; r++) {
    const row = out + <usize>r * ldcBytes;
    const source = tile + (<usize>r << 5);
    for (let j = 0; j < cols; j++) {
      const at = <usize>j << 2;
      store<f32>(row + at, load<f32>(row + at) + load<f32>(source + at));
    }
  }
}
