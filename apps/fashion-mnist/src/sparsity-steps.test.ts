// The sparsity experiment's steps on an untrained FashionCnn and embedded images: pruned models
// (80 % global element, 2:4) become sparse inference graphs whose logits equal the dense graph's,
// which survive an ONNX export / import under domain ai.efficientdl, and whose pruned layers are
// timed pairwise; fine-tuning with the masks keeps the pruned weights at zero.
import { EFFICIENTDL_DOMAIN, type TensorData } from '@efficientdl/ir';
import { importOnnx, exportOnnx } from '@efficientdl/onnx';
import { DataLoader } from '@efficientdl/nn';
import { magnitude, pruneSparse } from '@efficientdl/prune';
import { type Tensor, noGrad, runGraph } from '@efficientdl/tensor';
import { expectClose } from '@efficientdl/test-utils';
import { describe, expect, it } from 'vitest';
import { loadEmbedded } from './datasets.js';
import { FashionCnn } from './model.js';
import { copyModel, finetuneWithMasks, inferenceGraph, sparseGraph, timePrunedLayers } from './sparsity-steps.js';

async function embeddedPixels(count: number): Promise<Tensor> {
  const subset = await loadEmbedded();
  const [batch] = [...new DataLoader(subset.slice(0, count), { batchSize: count })];
  return (batch as [Tensor, Tensor])[0];
}

function logits(graph: Parameters<typeof runGraph>[0], pixels: Tensor): TensorData {
  return noGrad(() => (runGraph(graph, { pixels })['logits'] as Tensor).data);
}

describe('sparsity experiment steps', () => {
  it.each([
    ['element', 'csr'],
    ['2:4', 'nm'],
  ] as const)('%s: the sparse graph (and its ONNX round trip) computes the dense logits', async (granularity, format) => {
    const model = new FashionCnn({ seed: 3 });
    pruneSparse(model, granularity === 'element' ? { granularity, ratio: 0.8, scope: 'global', importance: magnitude({ p: 1 }) } : { granularity });
    const dense = inferenceGraph(model);
    const sparse = sparseGraph(dense, { format, minSparsity: 0 });
    expect(sparse.nodes.filter((node) => node.domain === EFFICIENTDL_DOMAIN).map((node) => node.op)).toEqual(['SparseConv', 'SparseConv', 'SparseGemm']);
    const pixels = await embeddedPixels(8);
    const expected = logits(dense, pixels);
    expectClose(logits(sparse, pixels), expected, { rtol: 1e-4, atol: 1e-5 });
    const imported = importOnnx(exportOnnx(sparse, { opset: 21 }));
    expect(imported.nodes.filter((node) => node.domain === EFFICIENTDL_DOMAIN)).toHaveLength(3);
    expectClose(logits(imported, pixels), expected, { rtol: 1e-4, atol: 1e-5 });
    const timings = timePrunedLayers(dense, sparse, pixels, 2);
    expect(timings.map((timing) => [timing.op, timing.sparseOp])).toEqual([['Conv', 'SparseConv'], ['Conv', 'SparseConv'], ['Gemm', 'SparseGemm']]);
    expect(timings.every((timing) => timing.denseMs > 0 && timing.sparseMs > 0)).toBe(true);
  });

  it('fine-tuning with the masks keeps the pruned weights at zero', async () => {
    const model = copyModel(new FashionCnn({ seed: 4 }));
    const masks = pruneSparse(model, { granularity: '2:4' });
    const subset = await loadEmbedded();
    await finetuneWithMasks(model, masks, { train: subset.slice(0, 256), epochs: 1, lr: 1e-3, seed: 1, log: () => {} });
    expect(masks.measure(model).zeros).toBe(masks.report.zeros);
  });
});
