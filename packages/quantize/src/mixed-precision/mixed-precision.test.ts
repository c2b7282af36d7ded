// Mixed precision: the per-channel b-bit quantizer by hand, the picker against brute force and
// the budget, the sensitivity scan's bookkeeping, and the QDQ graph equal to the fake-quantized one.
import { type Graph, type TensorData, createGraph, fromNumbers } from '@efficientdl/ir';
import { GraphModule } from '@efficientdl/nn';
import { Generator, type Tensor, randn } from '@efficientdl/tensor';
import { expectClose } from '@efficientdl/test-utils';
import { describe, expect, it } from 'vitest';
import { applyBitWidths, applyMixedPrecision } from './apply-mixed-precision.js';
import { type BitOption, type LayerOptions, pickBitWidths } from './pick-bit-widths.js';
import { measureSensitivity, withWeight } from './sensitivity.js';
import { quantizeWeightBits, weightBytes } from './weight-bits.js';

function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1664525 + 1013904223) % 4294967296;
    return state / 4294967296;
  };
}

function tensor(shape: number[], seed: number, scale = 1): TensorData {
  return fromNumbers('float32', shape, Float32Array.from(randn(shape, { generator: new Generator(seed) }).values as Float32Array, (value) => value * scale));
}

// x: (N, 8) → Gemm 8→6 → Relu → Gemm 6→4 → y
function mlp(): Graph {
  return createGraph({
    name: 'mlp',
    nodes: [
      { op: 'Gemm', inputs: ['x', 'fc1.weight', 'fc1.bias'], outputs: ['h'], attrs: { transB: 1 } },
      { op: 'Relu', inputs: ['h'], outputs: ['a'] },
      { op: 'Gemm', inputs: ['a', 'fc2.weight', 'fc2.bias'], outputs: ['y'], attrs: { transB: 1 } },
    ],
    inputs: [{ name: 'x', dtype: 'float32', shape: ['N', 8] }],
    outputs: [{ name: 'y', dtype: 'float32', shape: ['N', 4] }],
    initializers: { 'fc1.weight': tensor([6, 8], 1), 'fc1.bias': tensor([6], 2), 'fc2.weight': tensor([4, 6], 3), 'fc2.bias': tensor([4], 4) },
  });
}

const x = randn([16, 8], { generator: new Generator(5) });
const reference = (GraphModule.fromGraph(mlp()).forward(x) as Tensor).values as Float32Array;
/** A higher-is-better score: minus the mean squared error against the float model. */
function score(graph: Graph): number {
  const output = (GraphModule.fromGraph(graph).forward(x) as Tensor).values as Float32Array;
  return -output.reduce((sum, value, index) => sum + (value - (reference[index] as number)) ** 2, 0) / output.length;
}

describe('quantizeWeightBits', () => {
  it('uses max|w| / (2^(b−1) − 1) per channel and clamps to the narrow range', () => {
    const weight = fromNumbers('float32', [2, 3], [0.3, -0.9, 0.5, 2, 1, -0.2]);
    const two = quantizeWeightBits(weight, { bits: 2, axis: 0 });
    expect(Array.from(two.scales)).toEqual([expect.closeTo(0.9, 6), 2]);
    expect(Array.from(two.codes)).toEqual([0, -1, 1, 1, 0, 0]); // 0.5 / 0.9 → 1, 1 / 2 = 0.5 → 0 (ties to even)
    const four = quantizeWeightBits(weight, { bits: 4, axis: 0 });
    expect(Array.from(four.codes)).toEqual([2, -7, 4, 7, 3, -1]); // 1 / fround(2 / 7) = 3.4999… → 3
    expect(weightBytes({ count: 6, channels: 2, bits: 4 })).toBe(3 + 8);
  });
});

describe('pickBitWidths', () => {
  function randomLayers(seed: number, count: number): LayerOptions[] {
    const next = random(seed);
    return Array.from({ length: count }, (_, index) => {
      const parameters = 50 + Math.floor(next() * 500);
      const sensitivity = next();
      return {
        name: `layer${index}`,
        options: [8, 4, 2].map((bits): BitOption => ({ bits, bytes: Math.ceil((parameters * bits) / 8), cost: (sensitivity * (8 - bits) ** 2) / 10 })),
      };
    });
  }

  function bruteForce(layers: LayerOptions[], budget: number): number {
    let best = Number.POSITIVE_INFINITY;
    const visit = (index: number, bytes: number, cost: number) => {
      if (bytes > budget) return;
      if (index === layers.length) {
        best = Math.min(best, cost);
        return;
      }
      for (const option of (layers[index] as LayerOptions).options) visit(index + 1, bytes + option.bytes, cost + option.cost);
    };
    visit(0, 0, 0);
    return best;
  }

  it('finds the least-cost plan within the budget (exact DP == brute force)', () => {
    for (const seed of [1, 2, 3]) {
      const layers = randomLayers(seed, 6);
      const full = layers.reduce((sum, layer) => sum + (layer.options[0] as BitOption).bytes, 0);
      for (const fraction of [0.3, 0.5, 0.8]) {
        const budget = Math.floor(full * fraction);
        const plan = pickBitWidths(layers, { budgetBytes: budget, resolution: budget });
        expect(plan.bytes).toBeLessThanOrEqual(budget);
        expect(plan.cost).toBeCloseTo(bruteForce(layers, budget), 10);
      }
    }
  });

  it('meets the budget with coarse resolution and greedily', () => {
    const layers = randomLayers(4, 12);
    const full = layers.reduce((sum, layer) => sum + (layer.options[0] as BitOption).bytes, 0);
    const budget = Math.floor(full * 0.45);
    for (const plan of [pickBitWidths(layers, { budgetBytes: budget, resolution: 50 }), pickBitWidths(layers, { budgetBytes: budget, method: 'greedy' })]) {
      expect(plan.bytes).toBeLessThanOrEqual(budget);
      expect(Object.keys(plan.bits)).toHaveLength(12);
    }
  });

  it('reports an impossible budget', () => {
    expect(() => pickBitWidths(randomLayers(5, 3), { budgetBytes: 10 })).toThrow(/below the smallest possible size/);
  });
});

describe('sensitivity and the mixed-precision graph', () => {
  it('records accuracy, drop and bytes per layer and bit width', async () => {
    const report = await measureSensitivity(mlp(), { bits: [8, 2] }, { evaluate: score });
    expect(report.baseline).toBeCloseTo(0, 12);
    const fc1 = report.layers[0];
    expect(fc1?.bytes).toEqual({ 32: 192, 8: 48 + 24, 2: 12 + 24 });
    expect(fc1?.drop[2]).toBeGreaterThan(fc1?.drop[8] as number);
    const expected = score(withWeight(mlp(), 'fc1.weight', quantizeWeightBits(mlp().initializers.get('fc1.weight') as TensorData, { bits: 2, axis: 0 }).dequantized));
    expect(fc1?.accuracy[2]).toBe(expected);
  });

  it('builds a weight-only QDQ graph equal to the fake-quantized float graph', () => {
    const bits = { 'fc1.weight': 4, 'fc2.weight': 2 };
    const qdq = applyBitWidths(mlp(), bits);
    expect(qdq.initializers.get('fc1.weight_quantized')?.dtype).toBe('int4');
    let fake = mlp();
    for (const [name, width] of Object.entries(bits)) {
      fake = withWeight(fake, name, quantizeWeightBits(fake.initializers.get(name) as TensorData, { bits: width, axis: 0 }).dequantized);
    }
    expectClose((GraphModule.fromGraph(qdq).forward(x) as Tensor).values as Float32Array, (GraphModule.fromGraph(fake).forward(x) as Tensor).values as Float32Array, { rtol: 1e-6, atol: 1e-6 });
  });

  it('meets a total size budget end to end', async () => {
    // float: 48 + 24 weights + 10 bias floats = 328 B; biases stay 40 B
    const result = await applyMixedPrecision(mlp(), { budgetBytes: 40 + 36 + 30 }, { evaluate: score });
    expect(result.fixedBytes).toBe(40);
    expect(result.totalBytes).toBeLessThanOrEqual(106);
    expect(result.floatBytes).toBe(328);
    expect(Object.values(result.plan.bits).every((bits) => [8, 4, 2].includes(bits))).toBe(true);
  });
});
