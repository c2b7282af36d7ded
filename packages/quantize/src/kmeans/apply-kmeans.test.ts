// applyKmeans on a small two-layer MLP graph: pruned zeros stay exactly zero, the packed storage
// round-trips, the size report matches the byte arithmetic, and the centroid gradient equals the
// sum of the gradients of its member weights (computed independently on the baked float model).
import { type Graph, type TensorData, createGraph, fromNumbers, toNumberArray } from '@efficientdl/ir';
import { GraphModule, crossEntropy } from '@efficientdl/nn';
import { Generator, Tensor, randn } from '@efficientdl/tensor';
import { describe, expect, it } from 'vitest';
import { applyKmeans, clusterGraph } from './apply-kmeans.js';
import { decodeKmeansLayer } from './kmeans-layer.js';
import { kmeansSizeReport } from './kmeans-size-report.js';
import { packKmeansLayer, packedKmeansBytes, unpackKmeansLayer } from './kmeans-storage.js';

function weight(shape: number[], seed: number, zeroEvery = 0): TensorData {
  const values = Float32Array.from(randn(shape, { generator: new Generator(seed) }).values as Float32Array);
  if (zeroEvery > 0) for (let index = 0; index < values.length; index += zeroEvery) values[index] = 0;
  return fromNumbers('float32', shape, values);
}

// x: (N, 6) → Gemm(6→5) → Relu → Gemm(5→3) → logits: (N, 3)
function mlp(): Graph {
  return createGraph({
    name: 'mlp',
    nodes: [
      { op: 'Gemm', inputs: ['x', 'fc1.weight', 'fc1.bias'], outputs: ['h'], attrs: { transB: 1 } },
      { op: 'Relu', inputs: ['h'], outputs: ['a'] },
      { op: 'Gemm', inputs: ['a', 'fc2.weight', 'fc2.bias'], outputs: ['logits'], attrs: { transB: 1 } },
    ],
    inputs: [{ name: 'x', dtype: 'float32', shape: ['N', 6] }],
    outputs: [{ name: 'logits', dtype: 'float32', shape: ['N', 3] }],
    initializers: {
      'fc1.weight': weight([5, 6], 1, 3),
      'fc1.bias': weight([5], 2),
      'fc2.weight': weight([3, 5], 3),
      'fc2.bias': weight([3], 4),
    },
  });
}

describe('applyKmeans', () => {
  it('keeps pruned weights exactly zero and uses at most 2^bits other values', async () => {
    const { layers, bake } = await applyKmeans(mlp(), { bits: 2 });
    const baked = bake();
    const fc1 = toNumberArray(baked.initializers.get('fc1.weight') as TensorData);
    fc1.forEach((value, index) => {
      if (index % 3 === 0) expect(value).toBe(0);
      else expect(value).not.toBe(0);
    });
    expect(new Set(fc1.filter((_, index) => index % 3 !== 0)).size).toBeLessThanOrEqual(4);
    expect(layers.map((layer) => layer.name)).toEqual(['fc1.weight', 'fc2.weight']);
    expect(layers[0]?.keep).toBeDefined();
    expect(layers[1]?.keep).toBeUndefined();
  });

  it('runs the shared-weight graph exactly like the baked float graph', async () => {
    const result = await applyKmeans(mlp(), { bits: 3 });
    const x = randn([4, 6], { generator: new Generator(9) });
    const shared = result.model.forward(x) as Tensor;
    const plain = GraphModule.fromGraph(result.bake()).forward(x) as Tensor;
    expect(Array.from(shared.values as Float32Array)).toEqual(Array.from(plain.values as Float32Array));
  });

  it('round-trips packed storage (dense, bitmap, relative, Huffman)', () => {
    const { layers } = clusterGraph(mlp(), { bits: 3 });
    for (const options of [{}, { positions: 'bitmap' as const }, { indexBits: 2 }, { huffman: true }]) {
      for (const layer of layers) {
        const restored = unpackKmeansLayer(packKmeansLayer(layer, options));
        expect(Array.from(toNumberArray(decodeKmeansLayer(restored)))).toEqual(Array.from(toNumberArray(decodeKmeansLayer(layer))));
      }
    }
  });

  it('picks the relative-index width that stores the positions in the fewest bytes', () => {
    const { layers } = clusterGraph(mlp(), { bits: 3 });
    const pruned = layers[0] as (typeof layers)[0];
    const fixed = [2, 3, 4, 5, 6, 7, 8].map((indexBits) => packedKmeansBytes(packKmeansLayer(pruned, { indexBits })).positions);
    expect(packedKmeansBytes(packKmeansLayer(pruned)).positions).toBe(Math.min(...fixed));
  });

  it('reports bytes: fp32 vs codebook + packed indices + positions', () => {
    const { layers } = clusterGraph(mlp(), { bits: 3 });
    const report = kmeansSizeReport(layers, { positions: 'bitmap' });
    const [fc1, fc2] = report.rows as [(typeof report.rows)[0], (typeof report.rows)[0]];
    // fc1: 30 weights, every third pruned → 20 kept; codebook 8 × 4 B; 20 × 3 bits → 8 B; bitmap 30 bits → 4 B
    expect([fc1.fp32Bytes, fc1.kept, fc1.codebookBytes, fc1.valueBytes, fc1.positionBytes]).toEqual([120, 20, 32, 8, 4]);
    // fc2: 15 dense weights → 15 × 3 bits = 6 B, no positions
    expect([fc2.fp32Bytes, fc2.valueBytes, fc2.positionBytes, fc2.storedBytes]).toEqual([60, 6, 0, 38]);
    expect(report.total.ratio).toBeCloseTo(180 / (44 + 38), 10);
  });

  it('gives each centroid the sum of its member weights’ gradients', async () => {
    const result = await applyKmeans(mlp(), { bits: 2 });
    const x = randn([8, 6], { generator: new Generator(5) });
    const targets = new Tensor(fromNumbers('int64', [8], [0, 1, 2, 0, 1, 2, 0, 1]));
    crossEntropy(result.model.forward(x) as Tensor, targets).backward();
    const plain = GraphModule.fromGraph(result.bake());
    crossEntropy(plain.forward(x) as Tensor, targets).backward();
    for (const layer of result.layers) {
      const codebookGradient = result.model.getParameter(`${layer.name}.codebook`)?.grad?.values as Float32Array;
      const weightGradient = plain.getParameter(layer.name)?.grad?.values as Float32Array;
      const expected = new Float64Array(layer.codebook.length);
      layer.indices.forEach((cluster, index) => {
        if (!layer.keep || layer.keep[index] === 1) expected[cluster] = (expected[cluster] as number) + (weightGradient[index] as number);
      });
      expected.forEach((value, cluster) => expect(codebookGradient[cluster]).toBeCloseTo(value, 5));
    }
  });

  it('fine-tunes centroids with fit and keeps zeros', async () => {
    const x = randn([16, 6], { generator: new Generator(6) });
    const targets = new Tensor(fromNumbers('int64', [16], Array.from({ length: 16 }, (_, index) => index % 3)));
    const before = (await applyKmeans(mlp(), { bits: 2 })).layers[0]?.codebook;
    const result = await applyKmeans(mlp(), { bits: 2, fineTune: { epochs: 3, lr: 1e-2 } }, { trainLoader: [[x, targets]] });
    expect(result.history).toHaveLength(3);
    expect(Array.from(result.layers[0]?.codebook ?? [])).not.toEqual(Array.from(before ?? []));
    const fc1 = toNumberArray(result.bake().initializers.get('fc1.weight') as TensorData);
    fc1.forEach((value, index) => index % 3 === 0 && expect(value).toBe(0));
  });

  it('names unknown layers in its error', () => {
    expect(() => clusterGraph(mlp(), { bits: 4, layers: ['fc3.weight'] })).toThrow(/'fc3.weight' is not the weight/);
  });
});
