// Fast float32 GEMM in plain TypeScript: C = alpha · op(A) · op(B) + beta · C.
// Cache blocking (KC × MC panels of A, KC × NC panels of B) with packed, zero-padded panels and
// a 4×4 register micro-tile accumulated in locals (the BLIS/GotoBLAS structure). Transposed
// operands are read through strides while packing, never materialized.
// The readable oracle is kernels/linear/matmul.ts (naive triple loop); gemm.test.ts compares them.
// Large problems go to the WebAssembly SIMD kernel (src/wasm/) when it is built and loadable.
import { wasmSgemm } from '../wasm/wasm-gemm.js';

/** One GEMM call. A is (m, k) — stored (k, m) when transA; B is (k, n) — stored (n, k) when transB. */
export interface GemmOptions {
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly a: Float32Array;
  readonly b: Float32Array;
  readonly c: Float32Array;
  readonly aOffset?: number;
  readonly bOffset?: number;
  readonly cOffset?: number;
  /** Row stride of A as stored (default: k, or m when transA). */
  readonly lda?: number;
  readonly ldb?: number;
  readonly ldc?: number;
  readonly transA?: boolean;
  readonly transB?: boolean;
  readonly alpha?: number;
  /** 0 (default) overwrites C; 1 accumulates into it. */
  readonly beta?: number;
}

const MICRO_ROWS = 4;
const MICRO_COLS = 4;
const BLOCK_K = 256;
const BLOCK_M = 64;
const BLOCK_N = 1024;
/** m·n·k from which the WebAssembly kernel (≈0.5 µs call + copy overhead) beats this TypeScript one (8×8×8). */
const WASM_MIN_WORK = 512;

// Reused packing buffers (grown on demand): JS is single-threaded, GEMM is not re-entrant.
let packedA = new Float32Array(BLOCK_M * BLOCK_K);
let packedB = new Float32Array(BLOCK_N * BLOCK_K);

interface Operand {
  data: Float32Array;
  offset: number;
  /** Stride between consecutive rows / columns of the logical (untransposed) matrix. */
  rowStride: number;
  colStride: number;
}

/** Single-precision GEMM; see GemmOptions. */
export function sgemm(options: GemmOptions): void {
  const { m, n, k } = options;
  if (m * n * k >= WASM_MIN_WORK && wasmSgemm(options)) return;
  const alpha = options.alpha ?? 1;
  const beta = options.beta ?? 0;
  const ldc = options.ldc ?? n;
  const cOffset = options.cOffset ?? 0;
  scaleOutput(options.c, cOffset, ldc, m, n, beta);
  if (m === 0 || n === 0 || k === 0 || alpha === 0) return;
  const lda = options.lda ?? (options.transA ? m : k);
  const ldb = options.ldb ?? (options.transB ? k : n);
  const a: Operand = options.transA
    ? { data: options.a, offset: options.aOffset ?? 0, rowStride: 1, colStride: lda }
    : { data: options.a, offset: options.aOffset ?? 0, rowStride: lda, colStride: 1 };
  const b: Operand = options.transB
    ? { data: options.b, offset: options.bOffset ?? 0, rowStride: 1, colStride: ldb }
    : { data: options.b, offset: options.bOffset ?? 0, rowStride: ldb, colStride: 1 };
  for (let col0 = 0; col0 < n; col0 += BLOCK_N) {
    const nc = Math.min(BLOCK_N, n - col0);
    for (let depth0 = 0; depth0 < k; depth0 += BLOCK_K) {
      const kc = Math.min(BLOCK_K, k - depth0);
      packPanelsOfB(b, depth0, kc, col0, nc);
      for (let row0 = 0; row0 < m; row0 += BLOCK_M) {
        const mc = Math.min(BLOCK_M, m - row0);
        packPanelsOfA(a, row0, mc, depth0, kc);
        multiplyBlock({ c: options.c, cOffset: cOffset + row0 * ldc + col0, ldc, mc, nc, kc, alpha });
      }
    }
  }
}

function scaleOutput(c: Float32Array, offset: number, ldc: number, m: number, n: number, beta: number): void {
  if (beta === 1) return;
  for (let row = 0; row < m; row++) {
    const start = offset + row * ldc;
    if (beta === 0) c.fill(0, start, start + n);
    else for (let col = start; col < start + n; col++) c[col] = (c[col] as number) * beta;
  }
}

/** packedA: ceil(mc/4) panels, each (kc, 4) row-interleaved, zero-padded past mc. */
function packPanelsOfA(a: Operand, row0: number, mc: number, depth0: number, kc: number): void {
  const panels = Math.ceil(mc / MICRO_ROWS);
  if (packedA.length < panels * MICRO_ROWS * kc) packedA = new Float32Array(panels * MICRO_ROWS * kc);
  const { data, rowStride, colStride } = a;
  let target = 0;
  for (let panel = 0; panel < panels; panel++) {
    const firstRow = row0 + panel * MICRO_ROWS;
    const rows = Math.min(MICRO_ROWS, mc - panel * MICRO_ROWS);
    for (let depth = 0; depth < kc; depth++) {
      const base = a.offset + firstRow * rowStride + (depth0 + depth) * colStride;
      for (let r = 0; r < MICRO_ROWS; r++) packedA[target++] = r < rows ? (data[base + r * rowStride] as number) : 0;
    }
  }
}

/** packedB: ceil(nc/4) panels, each (kc, 4), zero-padded past nc. */
function packPanelsOfB(b: Operand, depth0: number, kc: number, col0: number, nc: number): void {
  const panels = Math.ceil(nc / MICRO_COLS);
  if (packedB.length < panels * MICRO_COLS * kc) packedB = new Float32Array(panels * MICRO_COLS * kc);
  const { data, rowStride, colStride } = b;
  let target = 0;
  for (let panel = 0; panel < panels; panel++) {
    const firstCol = col0 + panel * MICRO_COLS;
    const cols = Math.min(MICRO_COLS, nc - panel * MICRO_COLS);
    for (let depth = 0; depth < kc; depth++) {
      const base = b.offset + (depth0 + depth) * rowStride + firstCol * colStride;
      if (cols === MICRO_COLS) {
        packedB[target] = data[base] as number;
        packedB[target + 1] = data[base + colStride] as number;
        packedB[target + 2] = data[base + 2 * colStride] as number;
        packedB[target + 3] = data[base + 3 * colStride] as number;
        target += 4;
      } else {
        for (let col = 0; col < MICRO_COLS; col++) packedB[target++] = col < cols ? (data[base + col * colStride] as number) : 0;
      }
    }
  }
}

interface BlockTarget {
  c: Float32Array;
  cOffset: number;
  ldc: number;
  mc: number;
  nc: number;
  kc: number;
  alpha: number;
}

function multiplyBlock(target: BlockTarget): void {
  const { c, cOffset, ldc, mc, nc, kc, alpha } = target;
  const rowPanels = Math.ceil(mc / MICRO_ROWS);
  const colPanels = Math.ceil(nc / MICRO_COLS);
  for (let colPanel = 0; colPanel < colPanels; colPanel++) {
    const cols = Math.min(MICRO_COLS, nc - colPanel * MICRO_COLS);
    for (let rowPanel = 0; rowPanel < rowPanels; rowPanel++) {
      const rows = Math.min(MICRO_ROWS, mc - rowPanel * MICRO_ROWS);
      const outOffset = cOffset + rowPanel * MICRO_ROWS * ldc + colPanel * MICRO_COLS;
      microKernel(kc, rowPanel * MICRO_ROWS * kc, colPanel * MICRO_COLS * kc, c, outOffset, ldc, rows, cols, alpha);
    }
  }
}

/** 4×4 tile: C[outOffset..] += alpha · Apanel(kc, 4)ᵀ · Bpanel(kc, 4), clipped to rows × cols. */
function microKernel(
  kc: number,
  aStart: number,
  bStart: number,
  c: Float32Array,
  outOffset: number,
  ldc: number,
  rows: number,
  cols: number,
  alpha: number,
): void {
  const pa = packedA;
  const pb = packedB;
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  let ai = aStart;
  let bi = bStart;
  for (let depth = 0; depth < kc; depth++, ai += 4, bi += 4) {
    const a0 = pa[ai] as number, a1 = pa[ai + 1] as number, a2 = pa[ai + 2] as number, a3 = pa[ai + 3] as number;
    const b0 = pb[bi] as number, b1 = pb[bi + 1] as number, b2 = pb[bi + 2] as number, b3 = pb[bi + 3] as number;
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
    c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
  }
  if (rows === 4 && cols === 4) {
    addRow(c, outOffset, alpha, c00, c01, c02, c03);
    addRow(c, outOffset + ldc, alpha, c10, c11, c12, c13);
    addRow(c, outOffset + 2 * ldc, alpha, c20, c21, c22, c23);
    addRow(c, outOffset + 3 * ldc, alpha, c30, c31, c32, c33);
    return;
  }
  const tile = [c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33];
  for (let r = 0; r < rows; r++) {
    for (let col = 0; col < cols; col++) {
      const index = outOffset + r * ldc + col;
      c[index] = (c[index] as number) + alpha * (tile[r * 4 + col] as number);
    }
  }
}

function addRow(c: Float32Array, offset: number, alpha: number, v0: number, v1: number, v2: number, v3: number): void {
  c[offset] = (c[offset] as number) + alpha * v0;
  c[offset + 1] = (c[offset + 1] as number) + alpha * v1;
  c[offset + 2] = (c[offset + 2] as number) + alpha * v2;
  c[offset + 3] = (c[offset + 3] as number) + alpha * v3;
}
