// pruneSparse on an nn Module and a GraphModule: exact per-layer sparsity and "pruned ≤ kept"
// magnitude order (element), one shared threshold (global), per-layer ratios and ignore,
// whole kernels / blocks, valid N:M patterns along the reduction dimension (incl. transposed
// Gemm weights and partial groups), taylor = the |w·g| computed here independently, seeded
// random, and ConfigErrors that name the layer and leave the model untouched.
import { ConfigError, type TensorData, createGraph, isNmSparse, tensorData } from '@efficientdl/ir';
import { GraphModule, crossEntropy } from '@efficientdl/nn';
import { type Tensor, trace } from '@efficientdl/tensor';
import { describe, expect, it } from 'vitest';
import { magnitude, random, taylor } from '../importance/importance.js';
import { TinyCnn, snapshot, tinyBatch } from './__fixtures__/tiny-cnn.js';
import { pruneSparse } from './prune-sparse.js';

const WEIGHTS = ['features.0.weight', 'features.3.weight', 'head.weight'];

function parameter(model: TinyCnn | GraphModule, name: string): Float32Array {
  return (new Map(model.namedParameters()).get(name) as Tensor).values as Float32Array;
}

function zeros(values: Float32Array): number {
  return values.filter((value) => value === 0).length;
}

/** Largest |w| among pruned entries and smallest among kept ones, under `mask`. */
function magnitudeSplit(before: Float32Array, mask: TensorData): { prunedMax: number; keptMin: number } {
  let prunedMax = 0;
  let keptMin = Number.POSITIVE_INFINITY;
  before.forEach((value, index) => {
    if (mask.data[index]) keptMin = Math.min(keptMin, Math.abs(value));
    else prunedMax = Math.max(prunedMax, Math.abs(value));
  });
  return { prunedMax, keptMin };
}

describe('pruneSparse element granularity', () => {
  it('uniform: every layer gets exactly round(ratio · n) zeros, the smallest magnitudes', () => {
    const model = new TinyCnn(1);
    const before = new Map(WEIGHTS.map((name) => [name, parameter(model, name).slice()]));
    const result = pruneSparse(model, { granularity: 'element', ratio: 0.7 });
    expect([...result.masks.keys()]).toEqual(WEIGHTS);
    for (const name of WEIGHTS) {
      const values = parameter(model, name);
      expect(zeros(values)).toBe(Math.round(0.7 * values.length));
      const split = magnitudeSplit(before.get(name) as Float32Array, result.masks.get(name) as TensorData);
      expect(split.prunedMax).toBeLessThanOrEqual(split.keptMin);
      values.forEach((value, index) => expect(value === 0 || value === (before.get(name) as Float32Array)[index]).toBe(true));
    }
    const head = result.report.layers.find((layer) => layer.parameter === 'head.weight');
    expect(head).toMatchObject({ layer: 'head', elements: 640, zeros: 448, rule: 'uniform 0.7' });
    expect(result.report.sparsity).toBeCloseTo(result.report.zeros / result.report.elements, 12);
  });

  it('global: one threshold shared by all layers, total zeros = round(ratio · all)', () => {
    const model = new TinyCnn(2);
    const before = new Map(WEIGHTS.map((name) => [name, parameter(model, name).slice()]));
    const result = pruneSparse(model, { granularity: 'element', ratio: 0.8, scope: 'global', importance: magnitude({ p: 2 }) });
    const total = WEIGHTS.reduce((sum, name) => sum + parameter(model, name).length, 0);
    expect(result.report.zeros).toBe(Math.round(0.8 * total));
    const threshold = result.report.threshold as number;
    for (const name of WEIGHTS) {
      const split = magnitudeSplit(before.get(name) as Float32Array, result.masks.get(name) as TensorData);
      expect(split.prunedMax ** 2).toBeLessThanOrEqual(threshold);
      expect(split.keptMin ** 2).toBeGreaterThanOrEqual(threshold);
    }
    const sparsities = result.report.layers.map((layer) => layer.sparsity);
    expect(new Set(sparsities.map((value) => value.toFixed(3))).size).toBeGreaterThan(1); // not uniform
  });

  it('per-layer ratios override, ignored layers stay untouched (names, node names, patterns)', () => {
    const model = new TinyCnn(3);
    const head = parameter(model, 'head.weight').slice();
    const result = pruneSparse(model, { granularity: 'element', ratio: 0.5, perLayerRatios: { 'features.3': 0.25 }, ignore: [/^head/] });
    expect(zeros(parameter(model, 'features.3.weight'))).toBe(Math.round(0.25 * 288));
    expect(zeros(parameter(model, 'features.0.weight'))).toBe(Math.round(0.5 * 72));
    expect(parameter(model, 'head.weight')).toEqual(head);
    expect(result.masks.has('head.weight')).toBe(false);
    expect(result.report.layers.map((layer) => layer.rule)).toEqual(['uniform 0.5', 'per-layer 0.25', 'ignored']);
  });
});

describe('pruneSparse structured granularities', () => {
  it('kernel: whole 3×3 kernels are zeroed, round(ratio · kernels) of them', () => {
    const model = new TinyCnn(4);
    pruneSparse(model, { granularity: 'kernel', ratio: 0.5, ignore: ['head'] });
    const values = parameter(model, 'features.3.weight'); // (8, 4, 3, 3): 32 kernels
    let zeroKernels = 0;
    for (let kernel = 0; kernel < 32; kernel++) {
      const count = zeros(values.subarray(kernel * 9, kernel * 9 + 9));
      expect(count === 0 || count === 9).toBe(true);
      if (count === 9) zeroKernels++;
    }
    expect(zeroKernels).toBe(16);
  });

  it('block: [2, 8] tiles of the (outputs, inputs) matrix are zeroed whole, edge tiles included', () => {
    const model = new TinyCnn(5);
    pruneSparse(model, { granularity: 'block', block: [2, 8], ratio: 0.6, ignore: ['features.0', 'features.3.weight'] });
    const values = parameter(model, 'head.weight'); // (5, 128): 3 × 16 blocks, the last row of blocks has 1 row
    const sizes: number[] = [];
    for (let blockRow = 0; blockRow < 3; blockRow++) {
      for (let blockCol = 0; blockCol < 16; blockCol++) {
        const cells: number[] = [];
        for (let row = blockRow * 2; row < Math.min(5, blockRow * 2 + 2); row++) for (let col = blockCol * 8; col < blockCol * 8 + 8; col++) cells.push(values[row * 128 + col] as number);
        const count = cells.filter((value) => value === 0).length;
        expect(count === 0 || count === cells.length).toBe(true);
        if (count > 0) sizes.push(count);
      }
    }
    const pruned = sizes.reduce((sum, size) => sum + size, 0);
    expect(Math.abs(pruned - 0.6 * 640)).toBeLessThanOrEqual(8); // whole blocks: within half of the largest block
  });

  it.each([
    ['2:4', 2, 4],
    ['4:8', 4, 8],
  ] as const)('%s: every group of m along the reduction keeps its n largest weights', (granularity, n, m) => {
    const model = new TinyCnn(6);
    const before = new Map(WEIGHTS.map((name) => [name, parameter(model, name).slice()]));
    const result = pruneSparse(model, { granularity });
    for (const name of WEIGHTS) {
      const tensor = new Map(model.namedParameters()).get(name) as Tensor;
      expect(isNmSparse(tensor.data, { n, m })).toBe(true);
      const cols = tensor.size / (tensor.shape[0] as number);
      const original = before.get(name) as Float32Array;
      for (let start = 0; start < tensor.size; start += m) {
        // rows are multiples of m long here except features.0 (18 = 4·4 + 2: partial groups of 2)
        const row = Math.floor(start / cols);
        const end = Math.min(start + m, (row + 1) * cols);
        const group = [...original.subarray(start, end)].map(Math.abs);
        const kept = group.filter((_, offset) => (tensor.values[start + offset] as number) !== 0);
        expect(kept.length).toBe(Math.min(n, group.length));
        expect(Math.min(...kept)).toBeGreaterThanOrEqual(Math.max(0, ...group.filter((value) => !kept.includes(value))));
        if (end !== start + m) start = end - m; // continue at the next row
      }
    }
    expect(result.report.layers.every((layer) => layer.rule === granularity)).toBe(true);
  });

  it('2:4 runs along the reduction axis of Gemm (transB = 0) and MatMul weights stored (K, N)', () => {
    const weight = tensorData('float32', [8, 3], Float32Array.from({ length: 24 }, (_, index) => ((index * 7) % 11) - 5));
    const graph = createGraph({
      nodes: [
        { op: 'Gemm', inputs: ['x', 'gemm.weight'], outputs: ['h'] },
        { op: 'MatMul', inputs: ['h', 'matmul.weight'], outputs: ['y'] },
      ],
      inputs: [{ name: 'x', dtype: 'float32', shape: [2, 8] }],
      outputs: [{ name: 'y', dtype: 'float32', shape: [2, 3] }],
      initializers: { 'gemm.weight': weight, 'matmul.weight': tensorData('float32', [3, 3], new Float32Array([1, -2, 3, 4, 5, -6, 7, 8, 9])) },
    });
    const model = GraphModule.fromGraph(graph);
    pruneSparse(model, { granularity: '2:4' });
    const pruned = parameter(model, 'gemm.weight');
    for (let col = 0; col < 3; col++) {
      for (let start = 0; start < 8; start += 4) {
        const group = [0, 1, 2, 3].map((offset) => pruned[(start + offset) * 3 + col] as number);
        expect(group.filter((value) => value !== 0).length).toBeLessThanOrEqual(2);
      }
    }
    expect(zeros(pruned)).toBe(12);
    expect(zeros(parameter(model, 'matmul.weight'))).toBe(3); // columns of 3: groups of 3 keep 2
  });
});

describe('pruneSparse importance', () => {
  it('taylor prunes the smallest mean |w · ∂L/∂w| and restores gradients and BN statistics', () => {
    const model = new TinyCnn(7);
    const batches = [tinyBatch(6, 1), tinyBatch(6, 2)].map(({ inputs, targets }) => ({ inputs: [inputs], targets }));
    const expected = new Map<string, Float64Array>(WEIGHTS.map((name) => [name, new Float64Array(parameter(model, name).length)]));
    for (const batch of batches) {
      model.zeroGrad();
      crossEntropy(model.call(...batch.inputs), batch.targets).backward();
      for (const name of WEIGHTS) {
        const tensor = new Map(model.namedParameters()).get(name) as Tensor;
        const sums = expected.get(name) as Float64Array;
        tensor.values.forEach((value, index) => (sums[index] = (sums[index] as number) + Math.abs((value as number) * ((tensor.grad as Tensor).values[index] as number))));
      }
    }
    model.zeroGrad();
    const buffersBefore = snapshot(model);
    const result = pruneSparse(model, { granularity: 'element', ratio: 0.5, importance: taylor({ batches }) });
    const head = result.masks.get('head.weight') as TensorData;
    const scores = expected.get('head.weight') as Float64Array;
    let prunedMax = 0;
    let keptMin = Number.POSITIVE_INFINITY;
    scores.forEach((score, index) => (head.data[index] ? (keptMin = Math.min(keptMin, score)) : (prunedMax = Math.max(prunedMax, score))));
    expect(prunedMax).toBeLessThanOrEqual(keptMin);
    expect([...model.parameters()].every((tensor) => tensor.grad === undefined)).toBe(true);
    const after = snapshot(model);
    for (const [name] of model.namedBuffers()) expect(after.get(name)).toEqual(buffersBefore.get(name));
  });

  it('random: exact counts, reproducible for a seed, different across seeds', () => {
    const masksOf = (seed: number) => {
      const model = new TinyCnn(8);
      const result = pruneSparse(model, { granularity: 'element', ratio: 0.5, importance: random({ seed }) });
      expect(zeros(parameter(model, 'head.weight'))).toBe(320);
      return [...(result.masks.get('head.weight') as TensorData).data];
    };
    expect(masksOf(1)).toEqual(masksOf(1));
    expect(masksOf(1)).not.toEqual(masksOf(2));
  });
});

describe('pruneSparse validation', () => {
  const cases: [string, Parameters<typeof pruneSparse>[1], RegExp][] = [
    ['ratio 1', { granularity: 'element', ratio: 1 }, /ratio must be a number in \[0, 1\)/],
    ['negative ratio', { granularity: 'element', ratio: -0.1 }, /ratio/],
    ['missing ratio', { granularity: 'kernel' }, /ratio/],
    ['unknown layer in perLayerRatios', { granularity: 'element', ratio: 0.5, perLayerRatios: { 'features.9': 0.5 } }, /perLayerRatios names layer 'features\.9'/],
    ['unknown layer in ignore', { granularity: 'element', ratio: 0.5, ignore: ['classifier.1'] }, /ignore names layer 'classifier\.1'/],
    ['bad per-layer ratio', { granularity: 'element', ratio: 0.5, perLayerRatios: { head: 1.5 } }, /perLayerRatios\['head'\]/],
    ['block without size', { granularity: 'block', ratio: 0.5 }, /block: \[rows, cols\]/],
    ['unknown granularity', { granularity: 'channel' as never, ratio: 0.5 }, /unknown granularity 'channel'/],
    ['n >= m', { granularity: '4:2' as never }, /1 <= n < m/],
    ['ratio against n:m', { granularity: '2:4', ratio: 0.3 }, /fixes the ratio at 0.5/],
    ['bn-scale', { granularity: 'element', ratio: 0.5, importance: { kind: 'bn-scale' } }, /bn-scale/],
    ['bad scope', { granularity: 'element', ratio: 0.5, scope: 'layer' as never }, /scope/],
  ];

  it.each(cases)('%s → ConfigError, model untouched', (_, config, message) => {
    const model = new TinyCnn(9);
    const before = snapshot(model);
    let caught: unknown;
    try {
      pruneSparse(model, config);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as Error).message).toMatch(message);
    expect(snapshot(model)).toEqual(before);
  });

  it('works on a traced GraphModule with the same names (node names too)', () => {
    const model = new TinyCnn(10);
    const graph = trace(model.eval(), [tinyBatch(1, 3).inputs], { name: 'tiny' });
    const module = GraphModule.fromGraph(graph);
    const gemmNode = graph.nodes.find((node) => node.op === 'Gemm')?.name as string;
    const result = pruneSparse(module, { granularity: 'element', ratio: 0.5, perLayerRatios: { [gemmNode]: 0.9 } });
    expect([...result.masks.keys()]).toEqual(WEIGHTS);
    expect(zeros(parameter(module, 'head.weight'))).toBe(576);
  });
});
