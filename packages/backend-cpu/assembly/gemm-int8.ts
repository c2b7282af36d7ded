// 8-bit integer GEMM tile in WebAssembly SIMD: C[tile] (int32) = (A − zeroA) · (B − zeroB),
// A: (m, k) and B: (k, n) int8 or uint8, row-major, scalar zero points (MatMulInteger /
// QLinearMatMul). Operands are widened to int16 while packing (pairs of consecutive depths
// interleaved) and multiplied with i32x4.dot_i16x8_s, which is exact: |(a − za)(b − zb)| ≤ 255²,
// and int32 sums wrap like the reference. Same packing/blocking structure as gemm-f32.ts.
// Packed A repeats each row's depth pair four times (16 bytes), so the micro-kernel reads the
// broadcast with a plain v128.load: V8 (x64) spends an extra address instruction on a
// load32_splat with an offset, and the loop is bound by its pmaddwd + paddd pairs and their
// dispatch, so each instruction saved per pair shows (~8% in L1). Blocks: an A panel (4 rows ×
// 512 depths, 16 KiB) stays in L1 while the B panels of a 512 × 512 block (512 KiB) stream from
// L2; full micro-tiles write C straight from the accumulators on the first depth block and add to
// it on the next ones. (The quantized convolution, conv-int8.ts, streams its weights instead and
// keeps the compact load32_splat layout for them.)

const MR: i32 = 4; // micro-tile rows
const NR: i32 = 8; // micro-tile columns
const A_PAIR_BYTES: i32 = MR * 16; // one depth pair of a packed A panel
const B_PAIR_BYTES: i32 = NR * 4; // one depth pair of a packed B panel
const TILE_ROW_BYTES: i32 = NR * 4; // row stride of the compact scratch tile of clipped micro-tiles

const BLOCK_K: i32 = 512; // even: depth pairs never straddle blocks
const BLOCK_M: i32 = 24; // packed A: BLOCK_M · BLOCK_K · 8 bytes = 96 KiB, the per-thread scratch A
const BLOCK_N: i32 = 512; // packed B: BLOCK_K · BLOCK_N · 2 bytes = 512 KiB, stays in L2

function loadByte(address: usize, unsigned: bool, zeroPoint: i32): i32 {
  return (unsigned ? <i32>load<u8>(address) : <i32>load<i8>(address)) - zeroPoint;
}

/** int16 pair (low, high) as one int32 lane. */
function pairWord(low: i32, high: i32): i32 {
  return (low & 0xffff) | (high << 16);
}

/** One job: the (rows × cols) tile of C at (row0, col0). Addresses are bytes; C is overwritten. */
export function gemmInt8Tile(
  a: usize, lda: i32, aUnsigned: bool, zeroA: i32,
  b: usize, ldb: i32, bUnsigned: bool, zeroB: i32,
  c: usize, ldc: i32,
  row0: i32, rows: i32, col0: i32, cols: i32, k: i32,
  scratchA: usize, scratchB: usize, tile: usize,
): void {
  if (rows <= 0 || cols <= 0) return;
  const ldcBytes = <usize>ldc << 2;
  if (k <= 0) {
    for (let r = 0; r < rows; r++) memory.fill(c + <usize>(row0 + r) * ldcBytes + (<usize>col0 << 2), 0, <usize>cols << 2);
    return;
  }
  for (let jc = 0; jc < cols; jc += BLOCK_N) {
    const nc = min(BLOCK_N, cols - jc);
    for (let pc = 0; pc < k; pc += BLOCK_K) {
      const kc = min(BLOCK_K, k - pc);
      packB(b + <usize>pc * ldb + col0 + jc, ldb, bUnsigned, zeroB, kc, nc, scratchB);
      for (let ic = 0; ic < rows; ic += BLOCK_M) {
        const mc = min(BLOCK_M, rows - ic);
        packA(a + <usize>(row0 + ic) * lda + pc, lda, aUnsigned, zeroA, mc, kc, scratchA);
        const cBlock = c + <usize>(row0 + ic) * ldcBytes + (<usize>(col0 + jc) << 2);
        macroKernel(mc, nc, (kc + 1) >> 1, scratchA, scratchB, cBlock, ldcBytes, pc > 0, tile);
      }
    }
  }
}

/**
 * Packed A: panels of MR rows; per depth pair q, per row r, the int16 pair
 * (a[r][2q] − z, a[r][2q + 1] − z) four times (16 bytes); rows past mc and the depth past kc are 0.
 */
function packA(src: usize, lda: i32, unsigned: bool, zeroPoint: i32, mc: i32, kc: i32, dst: usize): void {
  const pairs = (kc + 1) >> 1;
  for (let i0 = 0; i0 < mc; i0 += MR) {
    for (let r = 0; r < MR; r++) {
      const target = dst + (<usize>r << 4);
      if (i0 + r < mc) packRow(src + <usize>(i0 + r) * lda, unsigned, zeroPoint, kc, target);
      else for (let q = 0; q < pairs; q++) v128.store(target + <usize>q * A_PAIR_BYTES, i32x4.splat(0));
    }
    dst += <usize>pairs * A_PAIR_BYTES;
  }
}

/** One row of packed A (16 depths per step with SIMD, then the tail pair by pair). */
function packRow(row: usize, unsigned: bool, zeroPoint: i32, kc: i32, target: usize): void {
  const zeros = i16x8.splat(<i16>zeroPoint);
  let p = 0;
  for (; p + 16 <= kc; p += 16) {
    const bytes = v128.load(row + p);
    const low = i16x8.sub(unsigned ? i16x8.extend_low_i8x16_u(bytes) : i16x8.extend_low_i8x16_s(bytes), zeros);
    const high = i16x8.sub(unsigned ? i16x8.extend_high_i8x16_u(bytes) : i16x8.extend_high_i8x16_s(bytes), zeros);
    const at = target + (<usize>p >> 1) * A_PAIR_BYTES;
    v128.store(at, i32x4.shuffle(low, low, 0, 0, 0, 0));
    v128.store(at, i32x4.shuffle(low, low, 1, 1, 1, 1), 64);
    v128.store(at, i32x4.shuffle(low, low, 2, 2, 2, 2), 128);
    v128.store(at, i32x4.shuffle(low, low, 3, 3, 3, 3), 192);
    v128.store(at, i32x4.shuffle(high, high, 0, 0, 0, 0), 256);
    v128.store(at, i32x4.shuffle(high, high, 1, 1, 1, 1), 320);
    v128.store(at, i32x4.shuffle(high, high, 2, 2, 2, 2), 384);
    v128.store(at, i32x4.shuffle(high, high, 3, 3, 3, 3), 448);
  }
  for (; p < kc; p += 2) {
    const odd = p + 1 < kc ? loadByte(row + p + 1, unsigned, zeroPoint) : 0;
    v128.store(target + (<usize>p >> 1) * A_PAIR_BYTES, i32x4.splat(pairWord(loadByte(row + p, unsigned, zeroPoint), odd)));
  }
}

/** Packed B: panels of NR columns; per depth pair q, per column: int16 (b[2q][j], b[2q+1][j]). */
function packB(src: usize, ldb: i32, unsigned: bool, zeroPoint: i32, kc: i32, nc: i32, dst: usize): void {
  const pairs = (kc + 1) >> 1;
  const zero = i16x8.splat(<i16>zeroPoint);
  for (let j0 = 0; j0 < nc; j0 += NR) {
    const cols = min(NR, nc - j0);
    for (let q = 0; q < pairs; q++) {
      const p = q << 1;
      const even = src + <usize>p * ldb + j0;
      if (cols === NR && p + 1 < kc) {
        const top = i16x8.sub(unsigned ? v128.load8x8_u(even) : v128.load8x8_s(even), zero);
        const bottom = i16x8.sub(unsigned ? v128.load8x8_u(even + ldb) : v128.load8x8_s(even + ldb), zero);
        v128.store(dst, i8x16.shuffle(top, bottom, 0, 1, 16, 17, 2, 3, 18, 19, 4, 5, 20, 21, 6, 7, 22, 23));
        v128.store(dst, i8x16.shuffle(top, bottom, 8, 9, 24, 25, 10, 11, 26, 27, 12, 13, 28, 29, 14, 15, 30, 31), 16);
      } else {
        for (let j = 0; j < NR; j++) {
          const top = j < cols ? loadByte(even + j, unsigned, zeroPoint) : 0;
          const bottom = j < cols && p + 1 < kc ? loadByte(even + ldb + j, unsigned, zeroPoint) : 0;
          store<i32>(dst + (<usize>j << 2), pairWord(top, bottom));
        }
      }
      dst += B_PAIR_BYTES;
    }
  }
}

/** Every micro-tile of one (mc × nc) block: an A panel stays in L1 while the B panels stream from L2. */
function macroKernel(mc: i32, nc: i32, pairs: i32, packedA: usize, packedB: usize, c: usize, ldcBytes: usize, accumulate: bool, tile: usize): void {
  for (let i0 = 0; i0 < mc; i0 += MR) {
    const rows = min(MR, mc - i0);
    const panelA = packedA + <usize>(i0 / MR) * pairs * A_PAIR_BYTES;
    for (let j0 = 0; j0 < nc; j0 += NR) {
      const cols = min(NR, nc - j0);
      const panelB = packedB + <usize>(j0 / NR) * pairs * B_PAIR_BYTES;
      const out = c + <usize>i0 * ldcBytes + (<usize>j0 << 2);
      if (rows === MR && cols === NR) {
        microKernel(pairs, panelA, panelB, out, ldcBytes, accumulate);
      } else {
        microKernel(pairs, panelA, panelB, tile, TILE_ROW_BYTES, false);
        storeClipped(tile, out, ldcBytes, rows, cols, accumulate);
      }
    }
  }
}

/**
 * out (4 rows × 8 int32, rows `stride` bytes apart) = Σ over `pairs` (≥ 1) depth pairs of
 * dot(A pair, B pairs), or += with `accumulate`. 4 × 8 keeps 8 accumulators + 2 B vectors + 1 A
 * vector + 1 product in V8's 15 vector registers; larger tiles spilled or measured no faster, and
 * unrolling the depth loop measured no gain: on Zen 4 the loop already runs at the rate of its
 * pmaddwd + paddd pairs (~1.6 per cycle, ~13 multiply-adds per cycle, ~1.7× the float32 FMA tile
 * of gemm-f32.ts).
 */
function microKernel(pairs: i32, pa: usize, pb: usize, out: usize, stride: usize, accumulate: bool): void {
  let c00 = i32x4.splat(0), c01 = c00, c10 = c00, c11 = c00;
  let c20 = c00, c21 = c00, c30 = c00, c31 = c00;
  const end = pa + <usize>pairs * A_PAIR_BYTES;
  while (pa < end) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let a = v128.load(pa);
    c00 = i32x4.add(c00, i32x4.dot_i16x8_s(a, b0));
    c01 = i32x4.add(c01, i32x4.dot_i16x8_s(a, b1));
    a = v128.load(pa, 16);
    c10 = i32x4.add(c10, i32x4.dot_i16x8_s(a, b0));
    c11 = i32x4.add(c11, i32x4.dot_i16x8_s(a, b1));
    a = v128.load(pa, 32);
    c20 = i32x4.add(c20, i32x4.dot_i16x8_s(a, b0));
    c21 = i32x4.add(c21, i32x4.dot_i16x8_s(a, b1));
    a = v128.load(pa, 48);
    c30 = i32x4.add(c30, i32x4.dot_i16x8_s(a, b0));
    c31 = i32x4.add(c31, i32x4.dot_i16x8_s(a, b1));
    pa += A_PAIR_BYTES;
    pb += B_PAIR_BYTES;
  }
  const row1 = out + stride;
  const row2 = row1 + stride;
  const row3 = row2 + stride;
  if (accumulate) {
    // every load before the first store: rows 4 KiB apart would otherwise alias in the store buffer
    c00 = i32x4.add(v128.load(out), c00);
    c01 = i32x4.add(v128.load(out, 16), c01);
    c10 = i32x4.add(v128.load(row1), c10);
    c11 = i32x4.add(v128.load(row1, 16), c11);
    c20 = i32x4.add(v128.load(row2), c20);
    c21 = i32x4.add(v128.load(row2, 16), c21);
    c30 = i32x4.add(v128.load(row3), c30);
    c31 = i32x4.add(v128.load(row3, 16), c31);
  }
  v128.store(out, c00);
  v128.store(out, c01, 16);
  v128.store(row1, c10);
  v128.store(row1, c11, 16);
  v128.store(row2, c20);
  v128.store(row2, c21, 16);
  v128.store(row3, c30);
  v128.store(row3, c31, 16);
}

/** C[out: rows × cols] (= or +=) the valid part of a clipped micro-tile (compact, at `tile`). */
function storeClipped(tile: usize, out: usize, ldcBytes: usize, rows: i32, cols: i32, accumulate: bool): void {
  for (let r = 0; r < rows; r++) {
    const row = out + <usize>r * ldcBytes;
    const source = tile + <usize>r * TILE_ROW_BYTES;
    for (let j = 0; j < cols; j++) {
      const at = <usize>j << 2;
      const value = load<i32>(source + at);
      store<i32>(row + at, accumulate ? load<i32>(row + at) + value : value);
    }
  }
}
