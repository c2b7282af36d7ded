// The README's sparsity example, kept runnable: prune 80 % globally, fine-tune a step with the
// masks attached, rewrite to sparse kernels and check the sparse graph computes the dense one.
import { foldBatchNorm } from '@efficientdl/ir';
import { AdamW, Conv2d, Flatten, Linear, ReLU, Sequential, crossEntropy } from '@efficientdl/nn';
import { Generator, type Tensor, noGrad, randn, runGraph, tensor, trace } from '@efficientdl/tensor';
import { expectClose } from '@efficientdl/test-utils';
import { describe, expect, it } from 'vitest';
import { magnitude } from '../importance/importance.js';
import { pruneSparse } from './prune-sparse.js';
import { toSparseExecution } from './sparse-execution.js';
import { formatSparsityReport } from './sparsity-report.js';

describe('README sparsity example', () => {
  it('prunes, fine-tunes with masks and runs on sparse kernels', () => {
    const generator = new Generator(0);
    const model = new Sequential(
      new Conv2d({ inChannels: 1, outChannels: 16, kernelSize: 3, padding: 1, generator }),
      new ReLU(),
      new Flatten(),
      new Linear({ inFeatures: 16 * 28 * 28, outFeatures: 10, generator }),
    );
    const masks = pruneSparse(model, { granularity: 'element', ratio: 0.8, scope: 'global', importance: magnitude({ p: 1 }) });
    expect(formatSparsityReport(masks.report)).toContain('80.0%');

    const optimizer = new AdamW(model.parameters(), { lr: 1e-3 });
    const detach = masks.attach(optimizer, model);
    const images = randn([8, 1, 28, 28], { generator });
    const labels = tensor([0, 1, 2, 3, 4, 5, 6, 7], [8], 'int64');
    crossEntropy(model.call(images), labels).backward();
    optimizer.step();
    detach();
    expect(masks.measure(model).sparsity).toBeCloseTo(0.8, 3);

    const graph = foldBatchNorm(trace(model.eval(), [images], { inputNames: ['images'], outputNames: ['logits'] }));
    const sparse = toSparseExecution(graph, { format: 'csr' });
    expect(sparse.nodes.map((node) => node.op)).toContain('SparseGemm');
    const logits = noGrad(() => runGraph(sparse, { images }).logits as Tensor);
    expectClose(logits.data, noGrad(() => (model.call(images) as Tensor).data), { rtol: 1e-4, atol: 1e-5 });
  });
});
