// The README's channel-pruning examples, kept runnable (the PyTorch fixture stands in for
// classifier.onnx): prune with per-layer ratio, ignore and roundTo, export and re-import, and
// the expert API's group.prune.
import { readFileSync } from 'node:fs';
import { GraphModule } from '@efficientdl/nn';
import { exportOnnx, importOnnx } from '@efficientdl/onnx';
import { fixturePath } from '@efficientdl/test-utils';
import { describe, expect, it } from 'vitest';
import { buildDependencyGraph } from '../dependency-graph/build-dependency-graph.js';
import { magnitude } from '../importance/importance.js';
import { prune } from '../prune-model.js';
import { agpSchedule } from '../schedule/agp-schedule.js';
import { formatPruneReport } from './prune-report.js';

describe('README channel example', () => {
  it('prunes, reports, exports and prunes one group by hand', () => {
    const model = GraphModule.fromGraph(importOnnx(readFileSync(fixturePath('pytorch-models', 'pytorch-fmnist-classifier.onnx'))));
    const { model: pruned, report } = prune(model, {
      importance: magnitude({ p: 2 }),
      ratio: 0.5,
      granularity: 'channel',
      scope: 'uniform',
      roundTo: 8,
      perLayerRatios: { 'classifier.1': 0.25 },
      ignore: [/^\/features\/features\.0\//],
    });
    expect(formatPruneReport(report)).toMatch(/classifier\.1\s+Gemm\s+2\s+32\s+24/);
    expect(report.layers.map((layer) => layer.channelsAfter)).toEqual([16, 16, 24, 10]);
    const reimported = importOnnx(exportOnnx(pruned.toGraph(), { opset: 17 }));
    expect(reimported.initializers.get('classifier.1.weight')?.shape).toEqual([24, 784]);

    const graph = buildDependencyGraph(model, { exampleInputs: [{ shape: [1, 1, 28, 28] }] });
    expect(graph.toString()).toContain("group 1 '/features/features.4/Conv': 32 channels, prunable");
    const smaller = graph.groupOf('/features/features.4/Conv')?.prune([0, 3, 7]);
    expect(smaller?.graph.initializers.get('classifier.1.weight')?.shape).toEqual([32, 1421]);
    expect(agpSchedule({ finalRatio: 0.6, steps: 4 }).map((ratio) => Number(ratio.toFixed(2)))).toEqual([0.35, 0.53, 0.59, 0.6]);
  });
});
