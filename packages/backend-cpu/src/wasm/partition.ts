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

export function partitionOutput(options: { m: number; n: number; k: number; threads: number }): OutputTile[] {
  const { m, n, k } = options;
  const rowTiles = Math.ceil(m / MICRO_ROWS);
  const colTiles = Math.ceil(n / MICRO_COLS);
  const splitRows = rowTiles >= colTiles;
  const tiles = splitRows ? rowTiles : colTiles;
  const byWork = Math.max(1, Math.floor((m * n * k) / MIN_WORK_PER_THREAD));
  const parts = Math.max(1, Math.min(options.threads, tiles, byWork));
  const result: OutputTile[] = [];
  for (let part = 0; part < parts; part++) {
    const first = Math.floor((part * tiles) / parts);
    const last = Math.floor(((part + 1) * tiles) / parts);
    if (splitRows) {
      const row0 = first * MICRO_ROWS;
      result.push({ row0, rows: Math.min(m, last * MICRO_ROWS) - row0, col0: 0, cols: n });
    } else {
      const col0 = first * MICRO_COLS;
      result.push({ row0: 0, rows: m, col0, cols: Math.min(n, last * MICRO_COLS) - col0 });
    }
  }
  return result;
}
