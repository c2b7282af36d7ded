// Datasets (torch.utils.data's idea): a Dataset gives samples by index as tuples of tensors;
// TensorDataset slices tensors that share their first dimension and can gather whole batches
// at once (one copy per tensor instead of one tensor per sample).
import { ConfigError, ShapeError, type TensorData, formatShape, tensorData } from '@efficientdl/ir';
import { Tensor } from '@efficientdl/tensor';

/** One sample: a tuple of tensors (e.g. [image, label]). */
export type Sample = Tensor[];

export interface Dataset {
  readonly length: number;
  /** Sample `index` in [0, length). */
  get(index: number): Sample;
  /** Optional fast path: the samples at `indices` stacked along a new first axis. */
  getBatch?(indices: readonly number[]): Sample;
}

/** Copies rows `indices` of `source` (first axis) into a new tensor of shape (indices.length, ...rest). */
export function gatherRows(source: TensorData, indices: readonly number[]): TensorData {
  const rowShape = source.shape.slice(1);
  const rowSize = rowShape.reduce((product, dim) => product * dim, 1);
  const result = tensorData(source.dtype, [indices.length, ...rowShape]);
  const input = source.data as Float32Array;
  const output = result.data as Float32Array;
  indices.forEach((row, position) => {
    output.set(input.subarray(row * rowSize, (row + 1) * rowSize), position * rowSize);
  });
  return result;
}

/** Samples are rows of the given tensors (all with the same first dimension). */
export class TensorDataset implements Dataset {
  readonly tensors: readonly TensorData[];
  readonly length: number;

  constructor(...tensors: (Tensor | TensorData)[]) {
    if (tensors.length === 0) throw new ConfigError('TensorDataset needs at least one tensor');
    this.tensors = tensors.map((tensor) => (tensor instanceof Tensor ? tensor.data : tensor));
    for (const data of this.tensors) {
      if (data.dtype === 'int4' || data.dtype === 'uint4') throw new ConfigError('TensorDataset: packed int4 tensors are not supported');
    }
    const first = this.tensors[0] as TensorData;
    this.length = first.shape[0] ?? 0;
    for (const data of this.tensors) {
      if (data.shape.length === 0 || data.shape[0] !== this.length) {
        throw new ShapeError(
          `TensorDataset: every tensor needs first dimension ${this.length}, got ${formatShape(data.shape)}`,
          { shape: [...data.shape] },
        );
      }
    }
  }

  get(index: number): Sample {
    if (!(Number.isInteger(index) && index >= 0 && index < this.length)) {
      throw new ConfigError(`TensorDataset: index ${index} is out of range [0, ${this.length})`);
    }
    return this.tensors.map((data) => {
      const row = gatherRows(data, [index]);
      return new Tensor({ ...row, shape: row.shape.slice(1) });
    });
  }

  getBatch(indices: readonly number[]): Sample {
    for (const index of indices) {
      if (!(Number.isInteger(index) && index >= 0 && index < this.length)) {
        throw new ConfigError(`TensorDataset: index ${index} is out of range [0, ${this.length})`);
      }
    }
    return this.tensors.map((data) => new Tensor(gatherRows(data, indices)));
  }

  /** A dataset over rows [start, end) (copies). */
  slice(start: number, end = this.length): TensorDataset {
    const indices = Array.from({ length: Math.max(0, Math.min(end, this.length) - start) }, (_, offset) => start + offset);
    return new TensorDataset(...this.tensors.map((data) => gatherRows(data, indices)));
  }
}
