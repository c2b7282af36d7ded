// Strided copy shared by Transpose, Slice, Expand and the reductions: walks an output shape in
// row-major order, reading the source at `offset + Σ coordinate[d] · strides[d]` (a stride may be
// 0 for broadcasting or negative for reversed slices). Works on any typed array kind.
import type { TypedArray } from '@efficientdl/ir';

export interface StridedCopy {
  readonly source: TypedArray;
  readonly offset: number;
  /** Source element stride per output dim. */
  readonly strides: readonly number[];
  /** Output shape (row-major, contiguous target). */
  readonly shape: readonly number[];
  readonly target: TypedArray;
}

export function copyStrided({ source, offset, strides, shape, target }: StridedCopy): void {
  const total = shape.reduce((product, dim) => product * dim, 1);
  if (total === 0) return;
  // Views with one element type for the hot loop; source and target are the same array kind.
  const from = source as Float64Array;
  const to = target as Float64Array;
  const rank = shape.length;
  if (rank === 0) {
    to[0] = from[offset] as number;
    return;
  }
  const inner = shape[rank - 1] as number;
  const innerStride = strides[rank - 1] as number;
  const counters = new Array<number>(rank - 1).fill(0);
  let base = offset;
  for (let written = 0; written < total; written += inner) {
    for (let i = 0, read = base; i < inner; i++, read += innerStride) to[written + i] = from[read] as number;
    for (let axis = rank - 2; axis >= 0; axis--) {
      const next = (counters[axis] as number) + 1;
      if (next < (shape[axis] as number)) {
        counters[axis] = next;
        base += strides[axis] as number;
        break;
      }
      counters[axis] = 0;
      base -= (strides[axis] as number) * ((shape[axis] as number) - 1);
    }
  }
}
