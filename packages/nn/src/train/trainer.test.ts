// fit/evaluate on a synthetic 3-class problem: learning happens, per-epoch lines are printed,
// checkpoints are written, and a resumed run ends bit-identical to an uninterrupted one.
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, fromNumbers } from '@efficientdl/ir';
import { Generator, type Tensor } from '@efficientdl/tensor';
import { afterAll, describe, expect, it } from 'vitest';
import { DataLoader } from '../data/data-loader.js';
import { TensorDataset } from '../data/dataset.js';
import { ReLU } from '../layers/activations.js';
import { Linear } from '../layers/linear.js';
import { Sequential } from '../layers/sequential.js';
import { crossEntropy } from '../losses/cross-entropy.js';
import { Adam } from '../optim/adam.js';
import { StepLR } from '../optim/lr-scheduler.js';
import { evaluate } from './evaluate.js';
import { fit } from './trainer.js';

/** Three Gaussian blobs in 2-D (centres (0, 3), (3, −2), (−3, −2), std 0.7), 60 points each. */
function blobs(seed: number): TensorDataset {
  const generator = new Generator(seed);
  const centres = [[0, 3], [3, -2], [-3, -2]] as const;
  const points: number[] = [];
  const labels: number[] = [];
  for (let index = 0; index < 180; index++) {
    const label = index % 3;
    const centre = centres[label] as readonly [number, number];
    points.push(centre[0] + 0.7 * generator.normal(), centre[1] + 0.7 * generator.normal());
    labels.push(label);
  }
  return new TensorDataset(fromNumbers('float32', [180, 2], points), fromNumbers('int64', [180], labels));
}

function setup(seed: number) {
  const generator = new Generator(seed);
  const model = new Sequential(new Linear({ inFeatures: 2, outFeatures: 8, generator }), new ReLU(), new Linear({ inFeatures: 8, outFeatures: 3, generator }));
  const optimizer = new Adam(model.parameters(), { lr: 0.02 });
  const scheduler = new StepLR(optimizer, { stepSize: 2, gamma: 0.5 });
  const trainLoader = new DataLoader(blobs(1), { batchSize: 16, shuffle: true, seed: 7 });
  return { model, optimizer, scheduler, trainLoader, loss: (output: Tensor, target: Tensor) => crossEntropy(output, target) };
}

const folders: string[] = [];
async function temporaryFolder(): Promise<string> {
  const folder = await mkdtemp(join(tmpdir(), 'efficientdl-nn-'));
  folders.push(folder);
  return folder;
}
afterAll(async () => {
  for (const folder of folders) await rm(folder, { recursive: true, force: true });
});

function lineStream() {
  return { isTTY: false, text: '', write(text: string) { this.text += text; } };
}

describe('fit', () => {
  it('learns the blobs, reports per-epoch lines and evaluates', async () => {
    const parts = setup(3);
    const stream = lineStream();
    const testLoader = new DataLoader(blobs(2), { batchSize: 50 });
    const before = evaluate(parts.model, testLoader);
    const seen: number[] = [];
    const result = await fit({ ...parts, epochs: 4, evalLoader: testLoader, progressStream: stream, onEpochEnd: (record) => seen.push(record.epoch) });
    expect(seen).toEqual([1, 2, 3, 4]);
    expect(result.step).toBe(4 * 12);
    const [first, , , last] = result.history;
    expect(last?.loss).toBeLessThan((first?.loss as number) / 2);
    expect(last?.evalAccuracy).toBeGreaterThan(0.95);
    expect(before).toBeLessThan(0.9);
    expect(last?.lr).toBeCloseTo(0.005, 10); // StepLR halves every 2 epochs
    expect(stream.text.trim().split('\n')).toHaveLength(4);
    expect(stream.text).toMatch(/^epoch 1\/4: loss \d\.\d{4}, [\d.]+ s, \d+ samples\/s, lr 0\.0200, eval accuracy/);
    expect(parts.model.training).toBe(true);
  });

  it('writes checkpoints and resumes to the same weights as an uninterrupted run', async () => {
    const folder = await temporaryFolder();
    const uninterrupted = setup(5);
    await fit({ ...uninterrupted, epochs: 4, progress: 'none' });

    const first = setup(5);
    await fit({ ...first, epochs: 2, checkpointDir: folder, progress: 'none' });
    expect(existsSync(join(folder, 'latest.json'))).toBe(true);
    for (const file of ['model.safetensors', 'optimizer.safetensors', 'trainer.json']) {
      expect(existsSync(join(folder, 'epoch-0002', file))).toBe(true);
    }
    const state = JSON.parse(await readFile(join(folder, 'epoch-0002', 'trainer.json'), 'utf8'));
    expect(state).toMatchObject({ epoch: 2, step: 24 });
    expect(state.lr).toBeCloseTo(0.01, 10);
    expect(typeof state.metrics.loss).toBe('number');

    const resumed = setup(99); // different initial weights: everything must come from the checkpoint
    const stream = lineStream();
    const result = await fit({ ...resumed, epochs: 4, checkpointDir: folder, resume: true, progressStream: stream });
    expect(result.resumedEpoch).toBe(2);
    expect(result.history.map((record) => record.epoch)).toEqual([3, 4]);
    expect(result.step).toBe(48);
    expect(stream.text).toContain('resumed from epoch 2');
    expect(resumed.model.stateDict()).toEqual(uninterrupted.model.stateDict());
    expect(resumed.optimizer.lr).toBe(uninterrupted.optimizer.lr);
  });

  it('starts fresh when resuming from an empty folder, and validates options', async () => {
    const folder = await temporaryFolder();
    const parts = setup(6);
    const result = await fit({ ...parts, epochs: 1, checkpointDir: folder, resume: true, progress: 'none' });
    expect(result.resumedEpoch).toBe(0);
    await expect(fit({ ...parts, epochs: 1, resume: true })).rejects.toThrow(ConfigError);
    await expect(fit({ ...parts, epochs: -1 })).rejects.toThrow(ConfigError);
  });
});

describe('evaluate', () => {
  it('counts argmax hits', () => {
    const model = new Sequential(new Linear({ inFeatures: 2, outFeatures: 2, bias: false }));
    ((model.at(0) as Linear).weight.values as Float32Array).set([1, 0, 0, 1]); // identity: argmax = larger coordinate
    const dataset = new TensorDataset(fromNumbers('float32', [4, 2], [1, 0, 0, 1, 2, 1, 1, 2]), fromNumbers('int64', [4], [0, 1, 1, 1]));
    expect(evaluate(model, new DataLoader(dataset, { batchSize: 3 }))).toBe(0.75);
  });
});
