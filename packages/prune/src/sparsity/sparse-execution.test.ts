// toSparseExecution: a pruned, traced (BN-folded) CNN rewritten to SparseConv / SparseGemm in CSR
// and 2:4 computes what the dense graph computes; Gemm alpha / beta / transB and a (1, N) bias are
// folded correctly; weights that are not sparse enough (or break the pattern) stay dense; dropped
// weight initializers; a GraphModule runs the rewritten graph; bad options are ConfigErrors.
import { ConfigError, EFFICIENTDL_DOMAIN, type Graph, type TensorData, createGraph, foldBatchNorm, tensorData } from '@efficientdl/ir';
import { GraphModule } from '@efficientdl/nn';
import { Tensor, noGrad, runGraph, trace } from '@efficientdl/tensor';
import { expectClose } from '@efficientdl/test-utils';
import { describe, expect, it } from 'vitest';
import { TinyCnn, tinyBatch } from './__fixtures__/tiny-cnn.js';
import { pruneSparse } from './prune-sparse.js';
import { toSparseExecution } from './sparse-execution.js';

function prunedGraph(granularity: 'element' | '2:4', seed: number, ratio = 0.8): Graph {
  const model = new TinyCnn(seed);
  pruneSparse(model, granularity === 'element' ? { granularity, ratio } : { granularity });
  return foldBatchNorm(trace(model.eval(), [tinyBatch(3, 1).inputs], { name: 'tiny', inputNames: ['x'], outputNames: ['logits'] }));
}

function run(graph: Graph, x: Tensor): TensorData {
  return noGrad(() => (runGraph(graph, { x })['logits'] as Tensor).data);
}

function opsOf(graph: Graph): string[] {
  return graph.nodes.filter((node) => node.domain === EFFICIENTDL_DOMAIN).map((node) => node.op);
}

describe('toSparseExecution', () => {
  it.each([
    ['element', 'csr'],
    ['2:4', 'nm'],
  ] as const)('%s-pruned CNN in %s computes what the dense graph computes', (granularity, format) => {
    const dense = prunedGraph(granularity, 21);
    const sparse = toSparseExecution(dense, { format });
    expect(opsOf(sparse)).toEqual(['SparseConv', 'SparseConv', 'SparseGemm']);
    for (const name of ['features.0.weight', 'features.3.weight', 'head.weight']) {
      expect(sparse.initializers.has(name)).toBe(false);
      expect(sparse.initializers.has(`${name}.values`)).toBe(true);
    }
    const x = tinyBatch(3, 2).inputs;
    expectClose(run(sparse, x), run(dense, x), { rtol: 1e-5, atol: 1e-5 });
    const module = GraphModule.fromGraph(sparse);
    expectClose(noGrad(() => (module.call(x) as Tensor).data), run(dense, x), { rtol: 1e-5, atol: 1e-5 });
  });

  it('leaves weights dense that are not sparse enough or break the N:M pattern', () => {
    const dense = prunedGraph('element', 22, 0.3); // 30 % zeros: groups of 4 with 3 or 4 non-zeros
    expect(opsOf(toSparseExecution(dense, { format: 'nm' }))).toEqual([]);
    expect(opsOf(toSparseExecution(dense, { format: 'csr', minSparsity: 0.5 }))).toEqual([]);
    expect(toSparseExecution(dense, { format: 'nm' }).initializers).toEqual(dense.initializers);
  });

  it('folds Gemm alpha, beta, transB = 0 and a (1, N) bias', () => {
    // W stored (K, N) = (4, 3) with 2:4 groups along K; C (1, 3)
    const weight = tensorData('float32', [4, 3], new Float32Array([1, 0, 0, 0, 2, 3, 0, -1, 0, 4, 0, 5]));
    const graph = createGraph({
      nodes: [{ op: 'Gemm', inputs: ['x', 'w', 'c'], outputs: ['logits'], attrs: { alpha: 0.5, beta: 2 } }],
      inputs: [{ name: 'x', dtype: 'float32', shape: ['N', 4] }],
      outputs: [{ name: 'logits', dtype: 'float32', shape: ['N', 3] }],
      initializers: { w: weight, c: tensorData('float32', [1, 3], new Float32Array([1, -1, 0.5])) },
    });
    const x = new Tensor(tensorData('float32', [2, 4], new Float32Array([1, 2, 3, 4, -1, 0.5, 2, -3])));
    for (const format of ['csr', 'nm'] as const) {
      const sparse = toSparseExecution(graph, { format, minSparsity: 0.4 });
      expect(opsOf(sparse)).toEqual(['SparseGemm']);
      expect([...(sparse.initializers.get('c.folded')?.data ?? [])]).toEqual([2, -2, 1]);
      expectClose(run(sparse, x), run(graph, x), { rtol: 1e-6, atol: 1e-6 });
    }
  });

  it('rejects bad options', () => {
    const graph = prunedGraph('element', 23);
    expect(() => toSparseExecution(graph, { format: 'coo' as never })).toThrow(ConfigError);
    expect(() => toSparseExecution(graph, { format: 'nm', n: 4, m: 4 })).toThrow(/1 <= n < m/);
    expect(() => toSparseExecution(graph, { format: 'csr', minSparsity: 2 })).toThrow(/minSparsity/);
  });
});
