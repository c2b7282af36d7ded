// The sparse weight of a SparseGemm / SparseConv node read from its inputs (values, indices,
// row_pointers?) and attributes (format, weight_shape, n, m), validated against the formats of
// @efficientdl/ir (sparse-weight-formats.ts), plus per-row entry access for the kernels.
import { type Attributes, EfficientDLError, ShapeError, type TensorData, checkCsr, checkNm, nmGroupCount, sparseMatrixShape } from '@efficientdl/ir';
import type { KernelContext } from '../kernel-registry.js';
import { intAttribute, intsAttribute, requireInput, stringAttribute } from '../kernels/linear/kernel-helpers.js';

/** A (rows, cols) sparse matrix in CSR or N:M form (see @efficientdl/ir sparse-weight-formats). */
export interface SparseWeight {
  readonly format: 'csr' | 'nm';
  /** The dense weight shape (attribute weight_shape). */
  readonly shape: readonly number[];
  readonly rows: number;
  readonly cols: number;
  readonly values: Float32Array;
  /** CSR: int32 columns; N:M: uint8 positions inside each group of m. */
  readonly indices: Int32Array | Uint8Array;
  /** CSR only: (rows + 1) entry offsets. */
  readonly rowPointers?: Int32Array;
  readonly n: number;
  readonly m: number;
  /** N:M: groups per row. */
  readonly groups: number;
}

function withNode(context: KernelContext, error: unknown): never {
  if (error instanceof EfficientDLError) {
    throw new ShapeError(`${context.op} (node '${context.node}'): ${error.message}`, { op: context.op, node: context.node });
  }
  throw error;
}

/** Reads and validates inputs 1..3 (values, indices, row_pointers?) and the sparse attributes. */
export function readSparseWeight(inputs: readonly (TensorData | undefined)[], attrs: Attributes, context: KernelContext): SparseWeight {
  const values = requireInput(inputs, 1, context, 'values');
  const indices = requireInput(inputs, 2, context, 'indices');
  const pointers = inputs[3];
  const shape = intsAttribute(attrs, 'weight_shape') ?? [];
  const format = stringAttribute(attrs, 'format', 'csr') === 'nm' ? 'nm' : 'csr';
  const n = intAttribute(attrs, 'n', 2);
  const m = intAttribute(attrs, 'm', 4);
  try {
    const { rows, cols } = sparseMatrixShape(shape);
    if (format === 'csr') {
      if (!pointers) throw new ShapeError('csr needs row_pointers (input 3)');
      checkCsr({ values, indices, rowPointers: pointers }, rows, cols);
    } else {
      checkNm({ values, indices, n, m }, rows, cols);
    }
    return {
      format, shape, rows, cols, n, m,
      values: values.data as Float32Array,
      indices: indices.data as Int32Array | Uint8Array,
      rowPointers: format === 'csr' ? (pointers?.data as Int32Array) : undefined,
      groups: nmGroupCount(cols, m),
    };
  } catch (error) {
    return withNode(context, error);
  }
}

/** Calls visit(column, value) for every stored entry of `row` (N:M padding slots included). */
export function forEachEntry(weight: SparseWeight, row: number, visit: (column: number, value: number) => void): void {
  if (weight.format === 'csr') {
    const pointers = weight.rowPointers as Int32Array;
    for (let entry = pointers[row] as number; entry < (pointers[row + 1] as number); entry++) {
      visit(weight.indices[entry] as number, weight.values[entry] as number);
    }
    return;
  }
  const width = weight.groups * weight.n;
  for (let slot = 0; slot < width; slot++) {
    const entry = row * width + slot;
    visit(Math.floor(slot / weight.n) * weight.m + (weight.indices[entry] as number), weight.values[entry] as number);
  }
}

/** Stored entries per row (CSR: the row's length; N:M: groups·n). */
export function entriesOfRow(weight: SparseWeight, row: number): number {
  if (weight.format === 'nm') return weight.groups * weight.n;
  const pointers = weight.rowPointers as Int32Array;
  return (pointers[row + 1] as number) - (pointers[row] as number);
}
