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
import { copyModel, finetuneGradually, finetuneWithMasks, inferenceGraph, pruneSparseFolded, sparseGraph, timePrunedLayers } from './sparsity-steps.js';

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

  it('gradual pruning ramps to the final global sparsity and keeps it through the fixed-mask steps (KD loss)', async () => {
    const teacher = new FashionCnn({ seed: 5 });
    const model = copyModel(teacher);
    const subset = await loadEmbedded();
    // 256 images = 4 steps of 64: the ramp ends at step 2 (re-pruning at steps 0, 1, 2), steps 3-4 keep the masks
    const masks = await finetuneGradually(model, { granularity: 'element', ratio: 0.8, scope: 'global', importance: magnitude({ p: 1 }) }, {
      train: subset.slice(0, 256), epochs: 1, lr: 1e-3, seed: 1, log: () => {}, rampFraction: 0.5, frequency: 1,
      distillation: { teacher, temperature: 4, alpha: 0.5 },
    });
    const total = masks.report.elements;
    expect(masks.report.zeros).toBe(Math.round(0.8 * total));
    expect(masks.measure(model).zeros).toBe(masks.report.zeros);
  });

  it('BN-folded global magnitude: the masks keep the largest |w·γ/√(σ²+ε)| (convs) and |w| (linear), weights otherwise untouched', () => {
    const model = new FashionCnn({ seed: 6 });
    const tensors = new Map(model.namedTensors());
    const values = (name: string) => tensors.get(name)?.data.data as Float32Array;
    values('features.1.running_var').set([1e-4, 4], 0); // channel 0 of conv 1 is scaled up 100x, channel 1 down 2x
    values('features.5.weight').fill(3);
    const before = new Map([...tensors].filter(([, tensor]) => tensor.dtype === 'float32').map(([name, tensor]) => [name, Float32Array.from(tensor.data.data as Float32Array)]));
    const masks = pruneSparseFolded(model, { granularity: 'element', ratio: 0.8, scope: 'global', importance: magnitude({ p: 1 }) });
    // oracle: the folded score of every weight, one threshold over all
    const scored: { name: string; index: number; score: number }[] = [];
    for (const [conv, bn] of [['features.0', 'features.1'], ['features.4', 'features.5'], ['classifier.1', undefined]] as const) {
      const weights = before.get(`${conv}.weight`) as Float32Array;
      const perChannel = weights.length / (tensors.get(`${conv}.weight`)?.shape[0] as number);
      weights.forEach((weight, index) => {
        const channel = Math.floor(index / perChannel);
        const scale = bn ? Math.abs((before.get(`${bn}.weight`)?.[channel] as number) / Math.sqrt((before.get(`${bn}.running_var`)?.[channel] as number) + 1e-5)) : 1;
        scored.push({ name: `${conv}.weight`, index, score: Math.abs(weight) * scale });
      });
    }
    const pruned = new Set(scored.sort((a, b) => a.score - b.score).slice(0, Math.round(0.8 * scored.length)).map((entry) => `${entry.name}:${entry.index}`));
    for (const name of ['features.0.weight', 'features.4.weight', 'classifier.1.weight']) {
      const mask = masks.masks.get(name)?.data as Uint8Array;
      const original = before.get(name) as Float32Array;
      values(name).forEach((weight, index) => {
        const expectPruned = pruned.has(`${name}:${index}`);
        expect(mask[index]).toBe(expectPruned ? 0 : 1);
        expect(weight).toBe(expectPruned ? 0 : original[index]);
      });
    }
    expect(masks.masks.get('features.0.weight')?.data.slice(0, 9)).toEqual(new Uint8Array(9).fill(1)); // the scaled-up channel survives whole
  });
});
