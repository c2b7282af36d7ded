// Conformance cases for GatherND (batch_dims), ScatterND (all reductions, repeated indices) and
// Einsum (explicit/implicit outputs, trace/diagonal, ellipsis broadcasting, size-1 broadcasting).
// Expected values worked out by hand from the index definitions / the sum formula.
import type { OpCase } from '../../op-case.js';
import { f32, i32, i64, iota } from '../basic/case-helpers.js';

export const INDEXING_CASES: readonly OpCase[] = [
  // data = [[0, 1], [2, 3]]
  { name: 'GatherND/elements', op: 'GatherND', inputs: [iota([2, 2]), i64([2, 2], [0, 0, 1, 1])], expected: [f32([2], [0, 3])] },
  { name: 'GatherND/rows_negative_index', op: 'GatherND', inputs: [iota([2, 2]), i64([2, 1], [-1, 0])], expected: [f32([2, 2], [2, 3, 0, 1])] },
  {
    name: 'GatherND/batch_dims_1_int32',
    op: 'GatherND',
    // data (2, 2, 2) = 0..7; batch 0 picks row 1 → [2, 3]; batch 1 picks row 0 → [4, 5]
    inputs: [iota([2, 2, 2], 'int32'), i64([2, 1], [1, 0])],
    attrs: { batch_dims: 1 },
    expected: [i32([2, 2], [2, 3, 4, 5])],
  },
  { name: 'GatherND/out_of_range', op: 'GatherND', inputs: [iota([2, 2]), i64([1, 2], [2, 0])], expectError: 'E_SHAPE' },
  { name: 'ScatterND/none_rows', op: 'ScatterND', inputs: [iota([3, 2]), i64([1, 1], [1]), f32([1, 2], [9, 8])], expected: [f32([3, 2], [0, 1, 9, 8, 4, 5])] },
  {
    name: 'ScatterND/add_repeated_index',
    op: 'ScatterND',
    // element 1 gets +5 twice; element 3 gets +1
    inputs: [f32([4], [1, 2, 3, 4]), i64([3, 1], [1, 1, 3]), f32([3], [5, 5, 1])],
    attrs: { reduction: 'add' },
    expected: [f32([4], [1, 12, 3, 5])],
  },
  { name: 'ScatterND/mul', op: 'ScatterND', inputs: [f32([3], [1, 2, 3]), i64([2, 1], [0, 2]), f32([2], [4, -1])], attrs: { reduction: 'mul' }, expected: [f32([3], [4, 2, -3])] },
  { name: 'ScatterND/max', op: 'ScatterND', inputs: [f32([3], [1, 5, 3]), i64([2, 1], [1, 2]), f32([2], [4, 7])], attrs: { reduction: 'max' }, expected: [f32([3], [1, 5, 7])] },
  { name: 'ScatterND/min_int64', op: 'ScatterND', inputs: [i64([3], [1, 5, 3]), i64([2, 1], [1, 2]), i64([2], [4, 7])], attrs: { reduction: 'min' }, expected: [i64([3], [1, 4, 3])] },
  { name: 'ScatterND/bad_updates_shape', op: 'ScatterND', inputs: [f32([3], [1, 2, 3]), i64([2, 1], [0, 1]), f32([3], [1, 1, 1])], expectError: 'E_SHAPE' },
  {
    name: 'Einsum/matmul_explicit',
    op: 'Einsum',
    // [[0, 1], [2, 3]] · [[1, 1], [0, 1]] = [[0, 1], [2, 5]]
    inputs: [iota([2, 2]), f32([2, 2], [1, 1, 0, 1])],
    attrs: { equation: 'ij,jk->ik' },
    expected: [f32([2, 2], [0, 1, 2, 5])],
  },
  { name: 'Einsum/implicit_transpose', op: 'Einsum', inputs: [iota([2, 3])], attrs: { equation: 'ji' }, expected: [f32([3, 2], [0, 3, 1, 4, 2, 5])] },
  { name: 'Einsum/trace', op: 'Einsum', inputs: [iota([3, 3])], attrs: { equation: 'ii' }, expected: [f32([], [12])] },
  { name: 'Einsum/diagonal', op: 'Einsum', inputs: [iota([3, 3])], attrs: { equation: 'ii->i' }, expected: [f32([3], [0, 4, 8])] },
  {
    name: 'Einsum/ellipsis_batch_broadcast',
    op: 'Einsum',
    // a (2, 1 | 1, 2) batch dims (2, 1) broadcast against b (3 | 2, 1): out[b0, b1] = a[b0] · b[b1]
    inputs: [f32([2, 1, 1, 2], [1, 2, 3, 4]), f32([3, 2, 1], [1, 0, 0, 1, 1, 1])],
    attrs: { equation: '...ij,...jk->...ik' },
    expected: [f32([2, 3, 1, 1], [1, 2, 3, 3, 4, 7])],
  },
  { name: 'Einsum/outer_product_implicit', op: 'Einsum', inputs: [f32([2], [1, 2]), f32([2], [3, 4])], attrs: { equation: 'i,j' }, expected: [f32([2, 2], [3, 4, 6, 8])] },
  { name: 'Einsum/three_operands_sum', op: 'Einsum', inputs: [f32([2], [1, 2]), f32([2], [3, 4]), f32([2], [5, 6])], attrs: { equation: 'i,i,i->' }, expected: [f32([], [1 * 3 * 5 + 2 * 4 * 6])] },
  { name: 'Einsum/label_size_mismatch', op: 'Einsum', inputs: [iota([2, 3]), iota([2, 3])], attrs: { equation: 'ij,jk->ik' }, expectError: 'E_SHAPE' },
];
