// The two packed weight formats of the ai.efficientdl sparse ops (SparseGemm, SparseConv): a
// dense weight is viewed as a (rows, cols) matrix — rows = output units (W[0]), cols = the
// reduction dimension in storage order (Linear: input features; Conv: C/group·kH·kW) — and
// stored as
//   CSR  values: (nnz) float32, indices: (nnz) int32 column of each value, row_pointers: (rows + 1)
//        int32 (row r owns entries [row_pointers[r], row_pointers[r + 1]), columns ascending);
//   N:M  the columns of each row split into groups of m consecutive columns (the last group may be
//        shorter); each group keeps exactly n slots: values: (rows, groups·n) float32 and indices:
//        (rows, groups·n) uint8 = the position of the value inside its group (a group with fewer
//        than n non-zeros pads with value 0 at an unused position). This is NVIDIA's 2:4 layout
//        along the reduction dimension.
// Pure functions on TensorData; the kernels' inputs are exactly these tensors.
import { ShapeError } from '../errors.js';
import { type StaticShape, formatShape, shapeSize } from '../shape.js';
import { type TensorData, tensorData } from '../tensor-data.js';

export interface CsrWeight {
  /** (nnz) float32 */
  readonly values: TensorData;
  /** (nnz) int32 */
  readonly indices: TensorData;
  /** (rows + 1) int32 */
  readonly rowPointers: TensorData;
}

export interface NmWeight {
  /** (rows, groups·n) float32 */
  readonly values: TensorData;
  /** (rows, groups·n) uint8, positions inside each group of m */
  readonly indices: TensorData;
  readonly n: number;
  readonly m: number;
}

export interface NmPattern {
  readonly n: number;
  readonly m: number;
}

/** (rows, cols) of a weight: rows = shape[0], cols = the product of the other dims. */
export function sparseMatrixShape(shape: StaticShape): { rows: number; cols: number } {
  if (shape.length < 2) throw new ShapeError(`sparse weight must have rank >= 2, got ${formatShape(shape)}`, { shape: [...shape] });
  const rows = shape[0] as number;
  return { rows, cols: rows === 0 ? 0 : shapeSize(shape) / rows };
}

/** Groups per row of an N:M weight with `cols` columns. */
export function nmGroupCount(cols: number, m: number): number {
  return Math.ceil(cols / m);
}

function float32Values(weight: TensorData): Float32Array {
  if (weight.dtype !== 'float32') throw new ShapeError(`sparse packing needs a float32 weight, got ${weight.dtype}${formatShape(weight.shape)}`);
  return weight.data as Float32Array;
}

/** Packs the non-zeros of a float32 weight into CSR (exact: zeros are dropped, nothing else). */
export function denseToCsr(weight: TensorData): CsrWeight {
  const dense = float32Values(weight);
  const { rows, cols } = sparseMatrixShape(weight.shape);
  let count = 0;
  for (const value of dense) if (value !== 0) count++;
  const values = new Float32Array(count);
  const indices = new Int32Array(count);
  const rowPointers = new Int32Array(rows + 1);
  let next = 0;
  for (let row = 0; row < rows; row++) {
    for (let col = 0; col < cols; col++) {
      const value = dense[row * cols + col] as number;
      if (value === 0) continue;
      values[next] = value;
      indices[next++] = col;
    }
    rowPointers[row + 1] = next;
  }
  return {
    values: tensorData('float32', [count], values),
    indices: tensorData('int32', [count], indices),
    rowPointers: tensorData('int32', [rows + 1], rowPointers),
  };
}

/** The dense weight of `shape` that a CSR triple stores (checks pointers and indices). */
export function csrToDense(csr: CsrWeight, shape: StaticShape): TensorData {
  const { rows, cols } = sparseMatrixShape(shape);
  checkCsr(csr, rows, cols);
  const dense = new Float32Array(rows * cols);
  const values = csr.values.data as Float32Array;
  const indices = csr.indices.data as Int32Array;
  const pointers = csr.rowPointers.data as Int32Array;
  for (let row = 0; row < rows; row++) {
    for (let entry = pointers[row] as number; entry < (pointers[row + 1] as number); entry++) {
      dense[row * cols + (indices[entry] as number)] = values[entry] as number;
    }
  }
  return tensorData('float32', shape, dense);
}

/** Throws a ShapeError unless the CSR triple is well formed for a (rows, cols) matrix. */
export function checkCsr(csr: CsrWeight, rows: number, cols: number): void {
  const pointers = csr.rowPointers.data as Int32Array;
  const indices = csr.indices.data as Int32Array;
  const count = csr.values.data.length;
  const fail = (problem: string): never => {
    throw new ShapeError(`CSR weight (${rows}, ${cols}): ${problem}`, { rows, cols });
  };
  if (csr.values.dtype !== 'float32' || csr.indices.dtype !== 'int32' || csr.rowPointers.dtype !== 'int32') fail('values must be float32, indices and row_pointers int32');
  if (indices.length !== count) fail(`${count} values but ${indices.length} indices`);
  if (pointers.length !== rows + 1 || pointers[0] !== 0 || pointers[rows] !== count) fail(`row_pointers must have ${rows + 1} entries from 0 to ${count}`);
  for (let row = 0; row < rows; row++) {
    const start = pointers[row] as number;
    const end = pointers[row + 1] as number;
    if (end < start) fail(`row_pointers decrease at row ${row}`);
    for (let entry = start; entry < end; entry++) {
      const col = indices[entry] as number;
      if (col < 0 || col >= cols) fail(`column index ${col} at entry ${entry} is outside [0, ${cols})`);
    }
  }
}

/** Whether every group of m consecutive columns of each row holds at most n non-zeros. */
export function isNmSparse(weight: TensorData, pattern: NmPattern): boolean {
  const dense = float32Values(weight);
  const { rows, cols } = sparseMatrixShape(weight.shape);
  for (let row = 0; row < rows; row++) {
    for (let start = 0; start < cols; start += pattern.m) {
      let nonZeros = 0;
      for (let col = start; col < Math.min(cols, start + pattern.m); col++) if (dense[row * cols + col] !== 0) nonZeros++;
      if (nonZeros > pattern.n) return false;
    }
  }
  return true;
}

function checkPattern(pattern: NmPattern): void {
  const { n, m } = pattern;
  if (!Number.isInteger(n) || !Number.isInteger(m) || n < 1 || m > 255 || n >= m) {
    throw new ShapeError(`N:M pattern ${n}:${m} must satisfy 1 <= n < m <= 255`, { n, m });
  }
}

/** Packs a weight whose groups hold at most n non-zeros; a ShapeError names the first bad group. */
export function denseToNm(weight: TensorData, pattern: NmPattern): NmWeight {
  checkPattern(pattern);
  const { n, m } = pattern;
  const dense = float32Values(weight);
  const { rows, cols } = sparseMatrixShape(weight.shape);
  const groups = nmGroupCount(cols, m);
  const values = new Float32Array(rows * groups * n);
  const positions = new Uint8Array(rows * groups * n);
  for (let row = 0; row < rows; row++) {
    for (let group = 0; group < groups; group++) {
      const start = group * m;
      const size = Math.min(m, cols - start);
      const slot0 = (row * groups + group) * n;
      let slot = 0;
      for (let position = 0; position < size; position++) {
        const value = dense[row * cols + start + position] as number;
        if (value === 0) continue;
        if (slot === n) {
          throw new ShapeError(`weight ${formatShape(weight.shape)} is not ${n}:${m} sparse: row ${row}, columns ${start}..${start + size - 1} hold more than ${n} non-zeros`, { row, group });
        }
        values[slot0 + slot] = value;
        positions[slot0 + slot++] = position;
      }
      // padding slots: value 0 at the group's first position (always inside the matrix)
      for (; slot < n; slot++) positions[slot0 + slot] = 0;
    }
  }
  return {
    values: tensorData('float32', [rows, groups * n], values),
    indices: tensorData('uint8', [rows, groups * n], positions),
    n,
    m,
  };
}

/** The dense weight of `shape` stored by an N:M pair (checks shapes and positions). */
export function nmToDense(nm: NmWeight, shape: StaticShape): TensorData {
  checkPattern(nm);
  const { rows, cols } = sparseMatrixShape(shape);
  const groups = nmGroupCount(cols, nm.m);
  checkNm(nm, rows, cols);
  const dense = new Float32Array(rows * cols);
  const values = nm.values.data as Float32Array;
  const positions = nm.indices.data as Uint8Array;
  for (let row = 0; row < rows; row++) {
    for (let slot = 0; slot < groups * nm.n; slot++) {
      const entry = row * groups * nm.n + slot;
      const col = Math.floor(slot / nm.n) * nm.m + (positions[entry] as number);
      dense[row * cols + col] = (dense[row * cols + col] as number) + (values[entry] as number);
    }
  }
  return tensorData('float32', shape, dense);
}

/** Throws a ShapeError unless values/indices are (rows, groups·n) with positions inside their group. */
export function checkNm(nm: NmWeight, rows: number, cols: number): void {
  const groups = nmGroupCount(cols, nm.m);
  const width = groups * nm.n;
  const fail = (problem: string): never => {
    throw new ShapeError(`${nm.n}:${nm.m} weight (${rows}, ${cols}): ${problem}`, { rows, cols });
  };
  if (nm.values.dtype !== 'float32' || nm.indices.dtype !== 'uint8') fail('values must be float32 and indices uint8');
  if (nm.values.data.length !== rows * width || nm.indices.data.length !== rows * width) {
    fail(`values and indices must be (${rows}, ${width}), got ${formatShape(nm.values.shape)} and ${formatShape(nm.indices.shape)}`);
  }
  const positions = nm.indices.data as Uint8Array;
  for (let entry = 0; entry < positions.length; entry++) {
    const group = Math.floor((entry % width) / nm.n);
    const position = positions[entry] as number;
    if (position >= nm.m || group * nm.m + position >= cols) fail(`position ${position} at entry ${entry} is outside its group`);
  }
}
