// DataLoader (torch.utils.data.DataLoader's idea): iterates a Dataset in batches, optionally
// shuffled by a seeded Generator, stacking samples along a new first axis.
// With `seed`, epoch e uses the permutation of Generator(seed + e) (DistributedSampler.set_epoch's
// idea), so a resumed run sees the same batches; with `generator`, the order continues its stream.
import { ConfigError, ShapeError, type TensorData, formatShape, shapesEqual, tensorData } from '@efficientdl/ir';
import { Generator, Tensor } from '@efficientdl/tensor';
import type { Dataset, Sample } from './dataset.js';

export interface DataLoaderOptions {
  batchSize?: number;
  shuffle?: boolean;
  /** Seed of the per-epoch shuffle (reproducible across resumes). */
  seed?: number;
  /** Generator for shuffling when no seed is given. */
  generator?: Generator;
  /** Skip the last incomplete batch (default false). */
  dropLast?: boolean;
}

/** Stacks samples (tuples of equal-shaped tensors) into batch tensors. */
export function collate(samples: readonly Sample[]): Sample {
  const first = samples[0];
  if (!first) throw new ConfigError('collate: no samples');
  return first.map((template, position) => {
    const rowSize = template.size;
    const result: TensorData = tensorData(template.dtype, [samples.length, ...template.shape]);
    samples.forEach((sample, index) => {
      const tensor = sample[position];
      if (!tensor || !shapesEqual(tensor.shape, template.shape) || tensor.dtype !== template.dtype) {
        throw new ShapeError(
          `collate: sample ${index} field ${position} is ${tensor?.dtype}${formatShape(tensor?.shape ?? [])}, expected ${template.dtype}${formatShape(template.shape)}`,
        );
      }
      (result.data as Float32Array).set(tensor.values as Float32Array, index * rowSize);
    });
    return new Tensor(result);
  });
}

export class DataLoader implements Iterable<Sample> {
  readonly dataset: Dataset;
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly dropLast: boolean;
  private readonly seed: number | undefined;
  private readonly generator: Generator;
  private epoch = 0;

  constructor(dataset: Dataset, options: DataLoaderOptions = {}) {
    this.dataset = dataset;
    this.batchSize = options.batchSize ?? 1;
    if (!(Number.isInteger(this.batchSize) && this.batchSize >= 1)) {
      throw new ConfigError(`DataLoader: batchSize must be a positive integer, got ${options.batchSize}`);
    }
    this.shuffle = options.shuffle ?? false;
    this.dropLast = options.dropLast ?? false;
    this.seed = options.seed;
    this.generator = options.generator ?? new Generator(0);
  }

  /** Number of batches per epoch. */
  get length(): number {
    const full = Math.floor(this.dataset.length / this.batchSize);
    return this.dropLast || this.dataset.length % this.batchSize === 0 ? full : full + 1;
  }

  /** Selects the epoch whose shuffle order the next iteration uses (seeded loaders only). */
  setEpoch(epoch: number): void {
    this.epoch = epoch;
  }

  private order(): number[] {
    const count = this.dataset.length;
    if (!this.shuffle) return Array.from({ length: count }, (_, index) => index);
    if (this.seed !== undefined) return new Generator(this.seed + this.epoch).permutation(count);
    return this.generator.permutation(count);
  }

  *[Symbol.iterator](): Iterator<Sample> {
    const order = this.order();
    if (this.seed !== undefined) this.epoch++;
    for (let start = 0; start < order.length; start += this.batchSize) {
      const indices = order.slice(start, start + this.batchSize);
      if (indices.length < this.batchSize && this.dropLast) return;
      yield this.dataset.getBatch ? this.dataset.getBatch(indices) : collate(indices.map((index) => this.dataset.get(index)));
    }
  }
}
