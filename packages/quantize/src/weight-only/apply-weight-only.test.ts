// applyWeightOnly on small Gemm / MatMul graphs: the rewritten graph runs MatMulNBits and matches
// the same graph with the dequantized float weights (an independent Gemm), stays close to the
// original float graph, and reports packed sizes; the RTN step itself is checked by hand.
import { type Graph, type TensorData, createGraph, fromNumbers, toNumberArray } from '@efficientdl/ir';
import { GraphModule } from '@efficientdl/nn';
import { Generator, type Tensor, randn } from '@efficientdl/tensor';
import { expectClose } from '@efficientdl/test-utils';
import { describe, expect, it } from 'vitest';
import { applyWeightOnly } from './apply-weight-only.js';
import { dequantizeNBits, quantizeNBits } from './quantize-nbits.js';

function tensor(shape: number[], seed: number, scale = 1): TensorData {
  return fromNumbers('float32', shape, Float32Array.from(randn(shape, { generator: new Generator(seed) }).values as Float32Array, (value) => value * scale));
}

// x: (N, 40) → Gemm(40→7, transB) → Relu → MatMul((7, 5)) → y: (N, 5)
function model(): Graph {
  return createGraph({
    name: 'two-layer',
    nodes: [
      { name: 'fc1', op: 'Gemm', inputs: ['x', 'fc1.weight', 'fc1.bias'], outputs: ['h'], attrs: { transB: 1, alpha: 0.5, beta: 2 } },
      { name: 'act', op: 'Relu', inputs: ['h'], outputs: ['a'] },
      { name: 'fc2', op: 'MatMul', inputs: ['a', 'fc2.weight'], outputs: ['y'] },
    ],
    inputs: [{ name: 'x', dtype: 'float32', shape: ['N', 40] }],
    outputs: [{ name: 'y', dtype: 'float32', shape: ['N', 5] }],
    initializers: { 'fc1.weight': tensor([7, 40], 1, 0.2), 'fc1.bias': tensor([7], 2), 'fc2.weight': tensor([7, 5], 3, 0.3) },
  });
}

function run(graph: Graph, x: Tensor): Float32Array {
  return (GraphModule.fromGraph(graph).forward(x) as Tensor).values as Float32Array;
}

describe('quantizeNBits', () => {
  it('quantizes one asymmetric 4-bit block by hand', () => {
    // range [−1, 2] → scale 3/15 = 0.2, zero point round(1 / 0.2) = 5; 0.5 → round(2.5) + 5 = 7 (ties to even)
    const quantized = quantizeNBits(Float32Array.from([-1, 0, 0.5, 2]), { N: 1, K: 4 }, { bits: 4, groupSize: 4 });
    expect(quantized.scales[0]).toBeCloseTo(0.2, 7);
    expect(Array.from(quantized.zeroPoints ?? [])).toEqual([5]);
    expect(Array.from(quantized.packed)).toEqual([0x50, 0xf7]);
    expect(Array.from(dequantizeNBits(quantized))).toEqual([-1, 0, 0.4, 2].map((value) => expect.closeTo(value, 6)));
  });

  it('keeps the error within half a step per block (symmetric and asymmetric, odd K)', () => {
    const weight = Float32Array.from(randn([3 * 37], { generator: new Generator(4) }).values as Float32Array);
    for (const symmetric of [false, true]) {
      const quantized = quantizeNBits(weight, { N: 3, K: 37 }, { bits: 4, groupSize: 16, symmetric });
      const restored = dequantizeNBits(quantized);
      weight.forEach((value, index) => {
        const scale = quantized.scales[Math.floor(index / 37) * 3 + Math.floor((index % 37) / 16)] as number;
        expect(Math.abs((restored[index] as number) - value)).toBeLessThanOrEqual(scale / 2 + 1e-6);
      });
    }
  });
});

describe('applyWeightOnly', () => {
  const x = randn([3, 40], { generator: new Generator(8) });

  it('rewrites Gemm and MatMul into MatMulNBits that equals the dequantized float graph', () => {
    const result = applyWeightOnly(model(), { bits: 4, groupSize: 16 });
    expect(result.graph.nodes.map((node) => `${node.domain}:${node.op}`)).toEqual(['ai.efficientdl:MatMulNBits', ':Relu', 'ai.efficientdl:MatMulNBits']);
    expect(result.graph.initializers.has('fc1.weight')).toBe(false);
    // oracle: the original graph with W replaced by dequant(quant(W)), alpha/beta folded by hand
    const original = model();
    const fc1 = quantizeNBits(Float32Array.from(toNumberArray(original.initializers.get('fc1.weight') as TensorData), (value) => value * 0.5), { N: 7, K: 40 }, { bits: 4, groupSize: 16 });
    const fc2Rows = new Float32Array(35).map((_, index) => toNumberArray(original.initializers.get('fc2.weight') as TensorData)[(index % 7) * 5 + Math.floor(index / 7)] as number);
    const fc2 = dequantizeNBits(quantizeNBits(fc2Rows, { N: 5, K: 7 }, { bits: 4, groupSize: 16 }));
    const oracle = createGraph({
      ...original,
      nodes: original.nodes.map((node) => (node.name === 'fc1' ? { ...node, attrs: { transB: 1 } } : node.name === 'fc2' ? { ...node, op: 'Gemm', attrs: { transB: 1 } } : node)),
      initializers: {
        'fc1.weight': fromNumbers('float32', [7, 40], dequantizeNBits(fc1)),
        'fc1.bias': fromNumbers('float32', [7], Float32Array.from(toNumberArray(original.initializers.get('fc1.bias') as TensorData), (value) => value * 2)),
        'fc2.weight': fromNumbers('float32', [5, 7], fc2),
      },
    });
    expectClose(run(result.graph, x), run(oracle, x), { rtol: 1e-5, atol: 1e-5 });
    // and close to the float model (4-bit error)
    expectClose(run(result.graph, x), run(original, x), { rtol: 0.1, atol: 0.15 });
  });

  it('reports packed sizes: 4-bit codes + float32 scales + packed zero points', () => {
    const result = applyWeightOnly(model(), { bits: 4, groupSize: 16 });
    // fc1: N 7, K 40 → 3 blocks of 8 B = 168 B codes, 21 scales = 84 B, 7 × 2 B zero points
    expect(result.layers[0]).toEqual({ name: 'fc1.weight', node: 'fc1', K: 40, N: 7, fp32Bytes: 1120, storedBytes: 168 + 84 + 14 });
    expect(result.fp32Bytes).toBe(1120 + 140);
  });

  it('quantizes int8 symmetric without zero points', () => {
    const result = applyWeightOnly(model(), { bits: 8, groupSize: 8, symmetric: true, layers: ['fc1.weight'] });
    const node = result.graph.nodes[0];
    expect(node?.inputs).toEqual(['x', 'fc1.weight.nbits', 'fc1.weight.nbits_scales', '', '', 'fc1.weight.nbits_bias']);
    expectClose(run(result.graph, x), run(model(), x), { rtol: 0.02, atol: 0.02 });
  });

  it('rejects a layer it cannot rewrite', () => {
    expect(() => applyWeightOnly(model(), { bits: 4, groupSize: 16, layers: ['x'] })).toThrow(/'x' is not the weight/);
    expect(() => applyWeightOnly(model(), { bits: 4, groupSize: 3 })).toThrow(/groupSize 3/);
  });
});
