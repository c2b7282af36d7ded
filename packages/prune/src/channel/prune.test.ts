// prune(): plans and reports on an nn model and the PyTorch Fashion-MNIST ONNX classifier,
// importance criteria against hand-made weights, and config errors that leave the model untouched.
import { readFileSync } from 'node:fs';
import { ConfigError, type Graph, analyzeCost } from '@efficientdl/ir';
import { GraphModule } from '@efficientdl/nn';
import { exportOnnx, importOnnx } from '@efficientdl/onnx';
import { Tensor, noGrad } from '@efficientdl/tensor';
import { fixturePath } from '@efficientdl/test-utils';
import { describe, expect, it } from 'vitest';
import { randomInput, runModel } from '../__fixtures__/graph-builder.js';
import { SMALL_INPUT, SmallCnn, setSlices, smallCnnModule } from '../__fixtures__/small-cnn.js';
import { bnScale, magnitude, random, taylor } from '../importance/importance.js';
import { prune } from '../prune-model.js';
import type { PruneConfig } from './prune-config.js';
import { formatPruneReport } from './prune-report.js';

const examples = [randomInput(SMALL_INPUT)];

function snapshot(model: GraphModule): string {
  const graph = model.graph;
  const parameters = [...model.namedParameters()].map(([name, tensor]) => [name, tensor.shape, Array.from(tensor.data.data as Float32Array)]);
  return JSON.stringify({ nodes: graph.nodes, inputs: graph.inputs, outputs: graph.outputs, shapes: [...graph.initializers].map(([name, data]) => [name, data.shape]), parameters });
}

function loadFixture(): Graph {
  return importOnnx(new Uint8Array(readFileSync(fixturePath('pytorch-models', 'pytorch-fmnist-classifier.onnx'))));
}

function removedChannels(before: GraphModule, after: GraphModule, name: string): number[] {
  // which output channels of `name` survived, found by matching kept weight rows
  const full = before.getParameter(name) as Tensor;
  const kept = after.getParameter(name) as Tensor;
  const row = full.size / (full.shape[0] as number);
  const rows = (tensor: Tensor) => Array.from({ length: tensor.shape[0] as number }, (_, index) => Array.from(tensor.data.data.slice(index * row, (index + 1) * row) as Float32Array).join());
  const keptRows = new Set(rows(kept));
  return rows(full).flatMap((text, index) => (keptRows.has(text) ? [] : [index]));
}

describe('prune (channel)', () => {
  it('halves every prunable group of an nn model and reports channels, params and MACs', () => {
    const source = new SmallCnn();
    const { model, report } = prune(source, { ratio: 0.5, exampleInputs: examples });
    expect(report.layers.map((layer) => [layer.name, layer.channelsBefore, layer.channelsAfter])).toEqual([
      ['features.0', 8, 4],
      ['features.4', 16, 8],
      ['classifier.1', 5, 5],
    ]);
    expect(model.getParameter('classifier.1.weight')?.shape).toEqual([5, 72]);
    expect(report.macs.after).toBe(analyzeCost(model.graph, { dims: { N: 1 } }).macs);
    expect(report.macs.after / report.macs.before).toBeLessThan(0.35);
    expect(report.params.after).toBeLessThan(report.params.before);
    const output = noGrad(() => model.forward(randomInput([3, 1, 12, 12])) as Tensor);
    expect(output.shape).toEqual([3, 5]);
    expect(formatPruneReport(report)).toMatch(/features\.4\s+Conv\s+1\s+16\s+8/);
  });

  it('prunes the imported PyTorch classifier to < 30% of its MACs and exports a runnable ONNX file', () => {
    const original = GraphModule.fromGraph(loadFixture());
    const { model, report } = prune(original, { ratio: 0.5, importance: magnitude({ p: 1 }) });
    expect(report.layers.map((layer) => layer.channelsAfter)).toEqual([8, 16, 16, 10]);
    expect(report.macs.after / report.macs.before).toBeLessThan(0.3);
    expect(model.graph.initializers.get('classifier.1.weight')?.shape).toEqual([16, 784]);
    const reimported = GraphModule.fromGraph(importOnnx(exportOnnx(model.toGraph(), { opset: 17 })));
    const input = randomInput([2, 1, 28, 28]);
    const logits = runModel(reimported, input);
    expect(logits.length).toBe(20);
    expect(Array.from(logits)).toEqual(Array.from(runModel(model, input)));
  });

  it('leaves the input model untouched and throws ConfigError before any change', () => {
    const model = smallCnnModule();
    const before = snapshot(model);
    const cases: [PruneConfig, RegExp][] = [
      [{ ratio: 1 }, /ratio must be a number in \[0, 1\), got 1/],
      [{ ratio: -0.1 }, /got -0.1/],
      [{ ratio: Number.NaN }, /got NaN/],
      [{ ratio: 0.5, perLayerRatios: { 'features.9': 0.5 } }, /perLayerRatios names layer 'features.9'/],
      [{ ratio: 0.5, ignore: ['nope'] }, /ignore names layer 'nope'/],
      [{ ratio: 0.5, perLayerRatios: { 'classifier.1': 0.5 } }, /layer 'classifier.1' cannot be pruned: reaches graph output/],
      [{ ratio: 0.5, perLayerRatios: { 'features.4': 0.97 } }, /would remove all 16 channels of layer 'features.4'/],
      [{ ratio: 0.5, scope: 'everything' as 'global' }, /scope/],
      [{ ratio: 0.5, roundTo: 0 }, /roundTo must be a positive integer/],
    ];
    for (const [config, message] of cases) {
      expect(() => prune(model, config)).toThrow(ConfigError);
      expect(() => prune(model, config)).toThrow(message);
      expect(snapshot(model)).toBe(before);
    }
  });

  it('sends other granularities to pruneSparse (weights zeroed in place, shapes kept)', () => {
    const model = smallCnnModule();
    const masks = prune(model, { granularity: 'element', ratio: 0.5 });
    expect(masks.report.sparsity).toBeCloseTo(0.5, 2);
    expect(model.getParameter('features.4.weight')?.shape).toEqual([16, 8, 3, 3]);
  });

  it('applies perLayerRatios and ignore, and ranks channels globally', () => {
    const model = smallCnnModule();
    const perLayer = prune(model, { ratio: 0.5, perLayerRatios: { 'features.0': 0.25 }, ignore: [/features\.4/] });
    expect(perLayer.report.layers.map((layer) => layer.channelsAfter)).toEqual([6, 16, 5]);
    const rounded = prune(model, { ratio: 0.45, roundTo: 4 }); // keeps 4.4 → 4 and 8.8 → 8 channels
    expect(rounded.report.layers.map((layer) => layer.channelsAfter)).toEqual([4, 8, 5]);
    expect(prune(model, { ratio: 0.1, roundTo: 4 }).report.layers.map((layer) => layer.channelsAfter)).toEqual([8, 16, 5]);
    const global = prune(model, { ratio: 0.5, scope: 'global' });
    const removed = global.report.layers.reduce((total, layer) => total + layer.channelsBefore - layer.channelsAfter, 0);
    expect(removed).toBe(12); // round(0.5 · (8 + 16))
  });

  it('magnitude and bnScale remove the channels with the smallest coupled weights / BN scales', () => {
    const model = smallCnnModule();
    setSlices(model, 'features.0.weight', 0, [2, 5], 1e-4);
    setSlices(model, 'features.0.bias', 0, [2, 5], 0);
    setSlices(model, 'features.4.weight', 1, [2, 5], 1e-4);
    expect(removedChannels(model, prune(model, { ratio: 0.25, importance: magnitude({ p: 2 }) }).model, 'features.0.weight')).toEqual([2, 5]);
    expect(removedChannels(model, prune(model, { ratio: 0.25, importance: magnitude({ p: 1 }) }).model, 'features.0.weight')).toEqual([2, 5]);
    const scaled = smallCnnModule();
    setSlices(scaled, 'features.1.weight', 0, [1, 6], 0.01);
    expect(removedChannels(scaled, prune(scaled, { ratio: 0.25, importance: bnScale() }).model, 'features.0.weight')).toEqual([1, 6]);
  });

  it('taylor scores a dead channel (zero outgoing weights) lowest; random is seeded', () => {
    const model = smallCnnModule();
    setSlices(model, 'features.4.weight', 1, [3], 0);
    const batches = [{ inputs: [randomInput([4, 1, 12, 12], 1)], targets: new Tensor({ dtype: 'int64', shape: [4], data: BigInt64Array.from([0n, 1n, 2n, 3n]) }) }];
    const pruned = prune(model, { ratio: 0.125, importance: taylor({ batches }), perLayerRatios: {}, ignore: ['features.4'] });
    expect(removedChannels(model, pruned.model, 'features.0.weight')).toEqual([3]);
    expect(model.getParameter('features.0.weight')?.grad).toBeUndefined();
    const removedBy = (seed: number) => removedChannels(model, prune(model, { ratio: 0.5, importance: random({ seed }) }).model, 'features.4.bias');
    const [first, again, other] = [removedBy(3), removedBy(3), removedBy(4)];
    expect(first).toHaveLength(8);
    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
  });
});
