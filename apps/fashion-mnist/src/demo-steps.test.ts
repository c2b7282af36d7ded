// The demo's compression steps end to end at toy scale (300 embedded training images, 1 epoch,
// 1 fine-tune epoch, 200 test images): the four rows are consistent with what each step does,
// and the pruned+int8 ONNX file re-imports and reproduces its row's accuracy through runGraph
// (an independent path from the GraphModule evaluation that filled the row).
import { toNumberArray } from '@efficientdl/ir';
import { DataLoader } from '@efficientdl/nn';
import { importOnnx } from '@efficientdl/onnx';
import { lowerToIntegerOps } from '@efficientdl/quantize';
import { type Tensor, noGrad, runGraph } from '@efficientdl/tensor';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadEmbedded, splitEmbedded } from './datasets.js';
import { type DemoStepsResult, runDemoSteps } from './demo-steps.js';
import type { DemoRow } from './demo-table.js';
import { runPipeline } from './pipeline.js';

/** Top-1 accuracy of an ONNX graph run node by node with runGraph (argmax by hand). */
function runGraphAccuracy(bytes: Uint8Array, test: Parameters<typeof splitEmbedded>[0]): number {
  const graph = lowerToIntegerOps(importOnnx(bytes));
  let correct = 0;
  for (const [pixels, labels] of new DataLoader(test, { batchSize: 100 })) {
    const logits = noGrad(() => runGraph(graph, { pixels: pixels as Tensor }).logits as Tensor); // (100, 10)
    expect(logits.shape).toEqual([100, 10]);
    const values = toNumberArray(logits.data);
    const targets = toNumberArray((labels as Tensor).data);
    targets.forEach((target, row) => {
      const scores = values.slice(row * 10, row * 10 + 10);
      expect(scores.every(Number.isFinite)).toBe(true);
      if (scores.indexOf(Math.max(...scores)) === target) correct++;
    });
  }
  return correct / test.length;
}

describe('demo steps (train → prune → int8 → ONNX → table rows)', () => {
  let result: DemoStepsResult;
  let test: ReturnType<typeof splitEmbedded>['test'];
  const row = (model: string) => result.rows.find((candidate) => candidate.model === model) as DemoRow;

  beforeAll(async () => {
    const split = splitEmbedded(await loadEmbedded(), { trainSize: 300, testSize: 200 });
    test = split.test;
    const { model } = await runPipeline({ ...split, epochs: 1, batchSize: 32, lr: 3e-3, seed: 0, progress: 'none' });
    result = await runDemoSteps(model, { ...split, finetuneEpochs: 1, seed: 0, calibCount: 64, latencyBatch: 16, latencyRuns: 5 });
  }, 120_000);

  it('gives one row per model, each with measured figures', () => {
    expect(result.rows.map((candidate) => candidate.model)).toEqual(['float', 'pruned', 'int8', 'pruned+int8']);
    expect(result.files.map((file) => file.bytes.length)).toEqual(result.rows.map((candidate) => candidate.bytes));
    for (const candidate of result.rows) {
      expect(candidate.accuracy).toBeGreaterThanOrEqual(0);
      expect(candidate.accuracy).toBeLessThanOrEqual(1);
      expect(candidate.latencyMs).toBeGreaterThan(0);
      expect(Number.isFinite(candidate.latencyMs)).toBe(true);
    }
  });

  it('pruning removes channels, parameters and MACs; quantization keeps the MACs', () => {
    expect(result.ratio).toBeCloseTo(0.3); // smallest 0.05 step with MACs ≤ 40% (channels 16/32 → 8/24)
    expect(result.pruneReport.layers.map((layer) => layer.channelsAfter)).toEqual([8, 24, 10]); // the classifier's 10 outputs are graph outputs: kept
    expect(row('pruned').macs).toBeLessThanOrEqual(0.4 * row('float').macs);
    expect(row('pruned').params).toBeLessThan(row('float').params);
    expect(row('int8').macs).toBe(row('float').macs);
    expect(row('pruned+int8').macs).toBe(row('pruned').macs);
  });

  it('int8 files are over 3x smaller than their float files', () => {
    expect(row('int8').bytes).toBeLessThan(row('float').bytes / 3);
    expect(row('pruned+int8').bytes).toBeLessThan(row('pruned').bytes / 3);
    expect(row('pruned+int8').bytes).toBeLessThan(row('int8').bytes);
  });

  it('the pruned+int8 ONNX file re-imports as QDQ and reproduces its accuracy through runGraph', () => {
    const file = result.files[3];
    if (!file) throw new Error('no pruned+int8 file');
    const ops = new Set(importOnnx(file.bytes).nodes.map((node) => node.op));
    expect(ops.has('QuantizeLinear') && ops.has('DequantizeLinear')).toBe(true);
    expect(runGraphAccuracy(file.bytes, test)).toBe(row('pruned+int8').accuracy);
  });

  it('int8 accuracy stays within 5 points of its float model', () => {
    expect(Math.abs(row('int8').accuracy - row('float').accuracy)).toBeLessThanOrEqual(0.05);
    expect(Math.abs(row('pruned+int8').accuracy - row('pruned').accuracy)).toBeLessThanOrEqual(0.05);
  });
});
