// Splits the output C (m × n) into one tile per thread along its larger dimension, in whole
// micro-tiles. Every element belongs to exactly one tile and its depth loop is the same in any
// split (the kernels block k independently of the tile), so results do not depend on the
// thread count.
import { MICRO_COLS, MICRO_ROWS } from './job-layout.js';

export interface OutputTile {
  readonly row0: number;
  readonly rows: number;
  readonly col0: number;
  readonly cols: number;
}

/** Multiply-adds below which a GEMM runs on the calling thread only (≥ ~40 µs of work per thread: a sleeping worker takes ~50 µs to wake, and a busy machine delays it more). */
export const MIN_WORK_PER_THREAD = 1 << 20;

export interface PartitionOptions {
  readonly m: number;
  readonly n: number;
  readonly k: number;
  readonly threads: number;
  /** Micro-tile the tiles align to (default the int8 kernel's 4 × 8). */
  readonly microRows?: number;
  readonly microCols?: number;
}

export function partitionOutput(options: PartitionOptions): OutputTile[] {
  const { m, n, k } = options;
  const microRows = options.microRows ?? MICRO_ROWS;
  const microCols = options.microCols ?? MICRO_COLS;
  const rowTiles = Math.ceil(m / microRows);
  const colTiles = Math.ceil(n / microCols);
  const splitRows = rowTiles >= colTiles;
  const tiles = splitRows ? rowTiles : colTiles;
  const byWork = Math.max(1, Math.floor((m * n * k) / MIN_WORK_PER_THREAD));
  const parts = Math.max(1, Math.min(options.threads, tiles, byWork));
  const result: OutputTile[] = [];
  for (let part = 0; part < parts; part++) {
    const first = Math.floor((part * tiles) / parts);
    const last = Math.floor(((part + 1) * tiles) / parts);
    if (splitRows) {
      const row0 = first * microRows;
      result.push({ row0, rows: Math.min(m, last * microRows) - row0, col0: 0, cols: n });
    } else {
      const col0 = first * microCols;
      result.push({ row0: 0, rows: m, col0, cols: Math.min(n, last * microCols) - col0 });
    }
  }
  return result;
}
