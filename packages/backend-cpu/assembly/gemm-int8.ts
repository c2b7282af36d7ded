// 8-bit integer GEMM tile in WebAssembly SIMD: C[tile] (int32) = (A − zeroA) · (B − zeroB),
// A: (m, k) and B: (k, n) int8 or uint8, row-major, scalar zero points (MatMulInteger /
// QLinearMatMul). Operands are widened to int16 while packing (pairs of consecutive depths
// interleaved) and multiplied with i32x4.dot_i16x8_s, which is exact: |(a − za)(b − zb)| ≤ 255²,
// and int32 sums wrap like the reference. Same packing/blocking structure as gemm-f32.ts.

const MR: i32 = 4; // micro-tile rows (four pairs of i32x4 accumulators)
const NR: i32 = 8; // micro-tile columns

const BLOCK_K: i32 = 512; // even: depth pairs never straddle blocks
const BLOCK_M: i32 = 96;
const BLOCK_N: i32 = 2048;

function loadByte(address: usize, unsigned: bool, zeroPoint: i32): i32 {
  return (unsigned ? <i32>load<u8>(address) : <i32>load<i8>(address)) - zeroPoint;
}

/** One job: the (rows × cols) tile of C at (row0, col0). Addresses are bytes; C is overwritten. */
export function gemmInt8Tile(
  a: usize, lda: i32, aUnsigned: bool, zeroA: i32,
  b: usize, ldb: i32, bUnsigned: bool, zeroB: i32,
  c: usize, ldc: i32,
  row0: i32, rows: i32, col0: i32, cols: i32, k: i32,
  scratchA: usize, scratchB: usize, tile: usize,
): void {
  for (let r = 0; r < rows; r++) memory.fill(c + ((<usize>(row0 + r) * ldc + col0) << 2), 0, <usize>cols << 2);
  for (let jc = 0; jc < cols; jc += BLOCK_N) {
    const nc = min(BLOCK_N, cols - jc);
    for (let pc = 0; pc < k; pc += BLOCK_K) {
      const kc = min(BLOCK_K, k - pc);
      packB(b + <usize>pc * ldb + col0 + jc, ldb, bUnsigned, zeroB, kc, nc, scratchB);
      for (let ic = 0; ic < rows; ic += BLOCK_M) {
        const mc = min(BLOCK_M, rows - ic);
        packA(a + <usize>(row0 + ic) * lda + pc, lda, aUnsigned, zeroA, mc, kc, scratchA);
        const cBlock = c + ((<usize>(row0 + ic) * ldc + col0 + jc) << 2);
        macroKernel(mc, nc, (kc + 1) >> 1, scratchA, scratchB, cBlock, <usize>ldc << 2, tile);
      }
    }
  }
}

/** Packed A: panels of MR rows; per depth pair q, per row: int16 (a[r][2q], a[r][2q+1]); zero-padded. */
function packA(src: usize, lda: i32, unsigned: bool, zeroPoint: i32, mc: i32, kc: i32, dst: usize): void {
  const pairs = (kc + 1) >> 1;
  for (let i0 = 0; i0 < mc; i0 += MR) {
    const rows = min(MR, mc - i0);
    for (let r = 0; r < MR; r++) {
      const row = src + <usize>(i0 + r) * lda;
      let target = dst + (<usize>r << 2);
      for (let q = 0; q < pairs; q++) {
        const p = q << 1;
        const even = r < rows ? loadByte(row + p, unsigned, zeroPoint) : 0;
        const odd = r < rows && p + 1 < kc ? loadByte(row + p + 1, unsigned, zeroPoint) : 0;
        store<i32>(target, (even & 0xffff) | (odd << 16));
        target += <usize>MR << 2;
      }
    }
    dst += <usize>pairs * MR * 4;
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
          store<i32>(dst + (<usize>j << 2), (top & 0xffff) | (bottom << 16));
        }
      }
      dst += 32;
    }
  }
}

function macroKernel(mc: i32, nc: i32, pairs: i32, packedA: usize, packedB: usize, c: usize, ldcBytes: usize, tile: usize): void {
  for (let j0 = 0; j0 < nc; j0 += NR) {
    const cols = min(NR, nc - j0);
    const panelB = packedB + <usize>j0 * pairs * 4;
    for (let i0 = 0; i0 < mc; i0 += MR) {
      const rows = min(MR, mc - i0);
      const panelA = packedA + <usize>i0 * pairs * 4;
      microKernel(pairs, panelA, panelB, c + <usize>i0 * ldcBytes + (<usize>j0 << 2), ldcBytes, rows, cols, tile);
    }
  }
}

/** C[out: rows × cols] += Σ_q dot(A pair, B pairs) over a 4×8 tile of int32 accumulators. */
function microKernel(pairs: i32, pa: usize, pb: usize, out: usize, ldcBytes: usize, rows: i32, cols: i32, tile: usize): void {
  let c00 = i32x4.splat(0), c01 = i32x4.splat(0);
  let c10 = i32x4.splat(0), c11 = i32x4.splat(0);
  let c20 = i32x4.splat(0), c21 = i32x4.splat(0);
  let c30 = i32x4.splat(0), c31 = i32x4.splat(0);
  for (let q = 0; q < pairs; q++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let a = v128.load32_splat(pa);
    c00 = i32x4.add(c00, i32x4.dot_i16x8_s(a, b0));
    c01 = i32x4.add(c01, i32x4.dot_i16x8_s(a, b1));
    a = v128.load32_splat(pa, 4);
    c10 = i32x4.add(c10, i32x4.dot_i16x8_s(a, b0));
    c11 = i32x4.add(c11, i32x4.dot_i16x8_s(a, b1));
    a = v128.load32_splat(pa, 8);
    c20 = i32x4.add(c20, i32x4.dot_i16x8_s(a, b0));
    c21 = i32x4.add(c21, i32x4.dot_i16x8_s(a, b1));
    a = v128.load32_splat(pa, 12);
    c30 = i32x4.add(c30, i32x4.dot_i16x8_s(a, b0));
    c31 = i32x4.add(c31, i32x4.dot_i16x8_s(a, b1));
    pa += 16;
    pb += 32;
  }
  const full = rows === MR && cols === NR;
  const target = full ? out : tile;
  const stride = full ? ldcBytes : 32;
  addRow(target, c00, c01, full);
  addRow(target + stride, c10, c11, full);
  addRow(target + 2 * stride, c20, c21, full);
  addRow(target + 3 * stride, c30, c31, full);
  if (full) return;
  for (let r = 0; r < rows; r++) {
    const row = out + <usize>r * ldcBytes;
    for (let j = 0; j < cols; j++) {
      const at = <usize>j << 2;
      store<i32>(row + at, load<i32>(row + at) + load<i32>(tile + (<usize>r << 5) + at));
    }
  }
}

function addRow(target: usize, low: v128, high: v128, accumulate: bool): void {
  if (accumulate) {
    v128.store(target, i32x4.add(v128.load(target), low));
    v128.store(target, i32x4.add(v128.load(target, 16), high), 16);
  } else {
    v128.store(target, low);
    v128.store(target, high, 16);
  }
}
