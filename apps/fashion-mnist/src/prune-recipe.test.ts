// The channel-pruning recipe on an untrained FashionCnn and 256 embedded images: channel targets
// become exact per-layer ratios, the AGP targets ramp from the full width to the targets, and
// pruneAndFinetune (one shot and gradual, with KD) ends at the target widths with a working model.
import { DataLoader } from '@efficientdl/nn';
import { type Tensor, noGrad } from '@efficientdl/tensor';
import { describe, expect, it } from 'vitest';
import { loadEmbedded } from './datasets.js';
import { FashionCnn } from './model.js';
import { agpTargets, layerChannels, parseChannels, pruneAndFinetune, ratiosForTargets } from './prune-recipe.js';
import { traceModel } from './prune-steps.js';

describe('prune recipe', () => {
  it('parses --channels and rejects malformed entries', () => {
    expect(parseChannels('features.0=8,features.4=16')).toEqual({ 'features.0': 8, 'features.4': 16 });
    expect(() => parseChannels('features.0')).toThrow(/layer=N/);
    expect(() => parseChannels('features.0=1.5')).toThrow(/layer=N/);
  });

  it('turns channel targets into ratios that keep exactly those channels', () => {
    const model = traceModel(new FashionCnn({ seed: 1 }), 'cnn');
    expect(Object.fromEntries(layerChannels(model))).toEqual({ 'features.0': 16, 'features.4': 32, 'classifier.1': 10 });
    const ratios = ratiosForTargets(model, { 'features.0': 6, 'features.4': 32 });
    expect(ratios).toEqual({ 'features.0': 1 - 6 / 16 }); // an unchanged layer needs no ratio
    expect(() => ratiosForTargets(model, { 'features.4': 33 })).toThrow(/cannot keep 33/);
    expect(() => ratiosForTargets(model, { 'features.9': 3 })).toThrow(/no prunable layer/);
  });

  it('AGP targets fall fast first and reach the targets at the last step', () => {
    const initial = new Map([['a', 32]]);
    const widths = [1, 2, 3, 4].map((step) => agpTargets(initial, { a: 16 }, step, 4)['a'] as number);
    // c_t = 16 + 16·(1 − t/4)³: 22.75, 18, 16.25, 16 → rounded
    expect(widths).toEqual([23, 18, 16, 16]);
  });

  it.each([1, 2])('prunes to the targets and fine-tunes with KD (%i step(s))', async (steps) => {
    const subset = await loadEmbedded();
    const train = subset.slice(0, 256);
    const original = traceModel(new FashionCnn({ seed: 2 }), 'cnn');
    const { model, report } = await pruneAndFinetune(original, {
      targets: { 'features.0': 8, 'features.4': 16 },
      importance: steps === 1 ? 'l2' : 'taylor',
      epochs: steps === 1 ? 1 : 2,
      steps,
      lr: 1e-3,
      distillation: { teacher: original, temperature: 4, alpha: 0.5 },
      train,
      seed: 0,
      log: () => {},
    });
    expect(report.layers.map((layer) => layer.channelsAfter)).toEqual([8, 16, 10]);
    expect(Object.fromEntries(layerChannels(model))).toEqual({ 'features.0': 8, 'features.4': 16, 'classifier.1': 10 });
    const [pixels] = [...new DataLoader(subset.slice(256, 264), { batchSize: 8 })][0] as [Tensor, Tensor];
    const logits = noGrad(() => model.forward(pixels) as Tensor);
    expect(logits.shape).toEqual([8, 10]);
    expect([...(logits.data.data as Float32Array)].every(Number.isFinite)).toBe(true);
  });
});
