// TensorDataset and DataLoader: batch contents, shuffling reproducibility, dropLast, collate.
import { ConfigError, ShapeError, fromNumbers } from '@efficientdl/ir';
import { Generator, Tensor } from '@efficientdl/tensor';
import { describe, expect, it } from 'vitest';
import { DataLoader, collate } from './data-loader.js';
import { type Dataset, TensorDataset } from './dataset.js';

// features: (10, 2) with row i = [i, 10·i]; labels: (10) int64 = i
const features = fromNumbers('float32', [10, 2], Array.from({ length: 20 }, (_, index) => (index % 2 ? 10 : 1) * Math.floor(index / 2)));
const labels = fromNumbers('int64', [10], Array.from({ length: 10 }, (_, index) => index));
const dataset = new TensorDataset(features, labels);

const labelsOf = (batches: Tensor[][]) => batches.map(([, y]) => (y as Tensor).toArray());

describe('TensorDataset', () => {
  it('returns rows as samples and batches', () => {
    const [x, y] = dataset.get(3) as [Tensor, Tensor];
    expect(x.shape).toEqual([2]);
    expect(x.toArray()).toEqual([3, 30]);
    expect(y.toArray()).toEqual([3]);
    const [batchX] = dataset.getBatch([4, 1]) as [Tensor];
    expect(batchX.shape).toEqual([2, 2]);
    expect(batchX.toArray()).toEqual([4, 40, 1, 10]);
    expect(dataset.slice(8).length).toBe(2);
  });

  it('rejects mismatched first dimensions and bad indices', () => {
    expect(() => new TensorDataset(features, fromNumbers('int64', [3], [0, 1, 2]))).toThrow(ShapeError);
    expect(() => dataset.get(10)).toThrow(ConfigError);
  });
});

describe('DataLoader', () => {
  it('batches in order without shuffle, keeping the remainder unless dropLast', () => {
    const loader = new DataLoader(dataset, { batchSize: 4 });
    expect(loader.length).toBe(3);
    expect(labelsOf([...loader])).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]);
    const dropping = new DataLoader(dataset, { batchSize: 4, dropLast: true });
    expect(dropping.length).toBe(2);
    expect(labelsOf([...dropping])).toHaveLength(2);
  });

  it('shuffles as a permutation, reproducibly per seed and differently per epoch', () => {
    const first = labelsOf([...new DataLoader(dataset, { batchSize: 3, shuffle: true, seed: 5 })]).flat();
    expect([...first].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(first).not.toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const loader = new DataLoader(dataset, { batchSize: 3, shuffle: true, seed: 5 });
    expect(labelsOf([...loader]).flat()).toEqual(first);
    const secondEpoch = labelsOf([...loader]).flat();
    expect(secondEpoch).not.toEqual(first);
    loader.setEpoch(0);
    expect(labelsOf([...loader]).flat()).toEqual(first);
    const byGenerator = (seed: number) => labelsOf([...new DataLoader(dataset, { shuffle: true, generator: new Generator(seed) })]).flat();
    expect(byGenerator(1)).toEqual(byGenerator(1));
  });

  it('collates per-sample datasets and checks shapes', () => {
    const plain: Dataset = { length: 3, get: (index) => [new Tensor(fromNumbers('float32', [2], [index, -index]))] };
    const [batch] = [...new DataLoader(plain, { batchSize: 3 })][0] as [Tensor];
    expect(batch.shape).toEqual([3, 2]);
    expect(batch.toArray()).toEqual([0, -0, 1, -1, 2, -2]);
    const ragged = [[new Tensor(fromNumbers('float32', [2], [1, 2]))], [new Tensor(fromNumbers('float32', [3], [1, 2, 3]))]];
    expect(() => collate(ragged)).toThrow(ShapeError);
    expect(() => new DataLoader(dataset, { batchSize: 0 })).toThrow(ConfigError);
  });
});
