// 8-bit integer GEMM: C (int32) = (A − aZeroPoint) · (B − bZeroPoint), A: (m, k), B: (k, n),
// each int8 or uint8, row-major, scalar zero points — the core of MatMulInteger and
// QLinearMatMul. Runs the WebAssembly kernel (assembly/gemm-int8.ts) when loaded, else the
// plain loop below, which is also the oracle of int8-gemm.test.ts. int32 sums wrap (as `| 0`).
import * as layout from './job-layout.js';
import { partitionOutput } from './partition.js';
import { slotAddress } from './thread-pool.js';
import { copyCompact } from './wasm-gemm.js';
import { getWasmRuntime, type MemoryViews, scratchAddresses, type WasmRuntime } from './wasm-runtime.js';

export interface Int8GemmOptions {
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly a: Int8Array | Uint8Array;
  readonly b: Int8Array | Uint8Array;
  readonly aOffset?: number;
  readonly bOffset?: number;
  /** Row strides as stored (defaults k and n). */
  readonly lda?: number;
  readonly ldb?: number;
  readonly aZeroPoint?: number;
  readonly bZeroPoint?: number;
  /** Output (overwritten); a new (m, n) array when omitted. */
  readonly c?: Int32Array;
  readonly cOffset?: number;
  readonly ldc?: number;
}

/** Below this m·n·k the plain loop is used (copy-in overhead dominates). */
const WASM_MIN_WORK = 4096;

export function int8Gemm(options: Int8GemmOptions): Int32Array {
  const c = options.c ?? new Int32Array(options.m * options.n);
  if (options.m * options.n * options.k < WASM_MIN_WORK || !zeroPointsFit(options) || !wasmInt8Gemm(options, c)) {
    referenceInto(options, c);
  }
  return c;
}

/** The kernel widens x − zeroPoint to int16: integer zero points within the 8-bit ranges only. */
function zeroPointsFit(options: Int8GemmOptions): boolean {
  const fits = (zero: number | undefined) => zero === undefined || (Number.isInteger(zero) && zero >= -128 && zero <= 255);
  return fits(options.aZeroPoint) && fits(options.bZeroPoint);
}

/** The readable loop: Σ_depth (a[row, depth] − za) · (b[depth, col] − zb), wrapped to int32. */
export function int8GemmReference(options: Int8GemmOptions & { readonly c: Int32Array }): void {
  referenceInto(options, options.c);
}

function referenceInto(options: Int8GemmOptions, c: Int32Array): void {
  const { m, n, k, a, b } = options;
  const [aOffset, bOffset, cOffset] = [options.aOffset ?? 0, options.bOffset ?? 0, options.cOffset ?? 0];
  const [lda, ldb, ldc] = [options.lda ?? k, options.ldb ?? n, options.ldc ?? n];
  const [aZero, bZero] = [options.aZeroPoint ?? 0, options.bZeroPoint ?? 0];
  for (let row = 0; row < m; row++) {
    for (let col = 0; col < n; col++) {
      let sum = 0;
      for (let depth = 0; depth < k; depth++) {
        const left = (a[aOffset + row * lda + depth] as number) - aZero;
        const right = (b[bOffset + depth * ldb + col] as number) - bZero;
        sum = (sum + Math.imul(left, right)) | 0;
      }
      c[cOffset + row * ldc + col] = sum;
    }
  }
}

const align16 = (bytes: number): number => Math.ceil(bytes / 16) * 16;

function wasmInt8Gemm(options: Int8GemmOptions, c: Int32Array): boolean {
  const runtime = getWasmRuntime();
  if (!runtime) return false;
  const { m, n, k } = options;
  const aBytes = align16(m * k);
  const bBytes = align16(k * n);
  let base: number;
  try {
    base = runtime.reserveOperands(aBytes + bBytes + align16(m * n * 4));
  } catch {
    return false;
  }
  const views = runtime.views();
  const addresses = { a: base, b: base + aBytes, c: base + aBytes + bBytes };
  copyBytes(options.a, { offset: options.aOffset ?? 0, ld: options.lda ?? k, rows: m, cols: k }, views, addresses.a);
  copyBytes(options.b, { offset: options.bOffset ?? 0, ld: options.ldb ?? n, rows: k, cols: n }, views, addresses.b);
  runInt8Tiles(runtime, { a: addresses.a, b: addresses.b, c: addresses.c, m, n, k, options });
  const heap = views.i32;
  const [cOffset, ldc] = [options.cOffset ?? 0, options.ldc ?? n];
  for (let row = 0; row < m; row++) {
    const start = addresses.c / 4 + row * n;
    c.set(heap.subarray(start, start + n), cOffset + row * ldc);
  }
  return true;
}

function copyBytes(
  source: Int8Array | Uint8Array,
  region: { offset: number; ld: number; rows: number; cols: number },
  views: MemoryViews,
  address: number,
): void {
  const { offset, ld, rows, cols } = region;
  if (source instanceof Int8Array) copyCompact({ source, offset, ld, rows, cols, target: views.i8, targetOffset: address });
  else copyCompact({ source, offset, ld, rows, cols, target: views.u8, targetOffset: address });
}

interface Int8Job {
  a: number; b: number; c: number;
  m: number; n: number; k: number;
  options: Int8GemmOptions;
}

function runInt8Tiles(runtime: WasmRuntime, job: Int8Job): void {
  const { options } = job;
  const flags = (options.a instanceof Uint8Array ? 1 : 0) | (options.b instanceof Uint8Array ? 2 : 0);
  const tiles = partitionOutput({ m: job.m, n: job.n, k: job.k, threads: runtime.threads });
  const words = runtime.views().i32;
  tiles.forEach((tile, thread) => {
    const slot = slotAddress(thread) / 4;
    const { scratchA, scratchB } = scratchAddresses(thread);
    words[slot + layout.WORD_KIND] = layout.JOB_INT8_GEMM;
    words[slot + layout.WORD_A] = job.a;
    words[slot + layout.WORD_B] = job.b;
    words[slot + layout.WORD_C] = job.c;
    words[slot + layout.WORD_LDA] = job.k;
    words[slot + layout.WORD_LDB] = job.n;
    words[slot + layout.WORD_LDC] = job.n;
    words[slot + layout.WORD_ROW0] = tile.row0;
    words[slot + layout.WORD_ROWS] = tile.rows;
    words[slot + layout.WORD_COL0] = tile.col0;
    words[slot + layout.WORD_COLS] = tile.cols;
    words[slot + layout.WORD_DEPTH] = job.k;
    words[slot + layout.WORD_ALPHA] = options.aZeroPoint ?? 0;
    words[slot + layout.WORD_BETA] = options.bZeroPoint ?? 0;
    words[slot + layout.WORD_FLAGS] = flags;
    words[slot + layout.WORD_SCRATCH_A] = scratchA;
    words[slot + layout.WORD_SCRATCH_B] = scratchB;
  });
  runtime.runParallel(tiles.length);
}
