// `efficientdl nas search` on real Fashion-MNIST files with a tiny search space (--space) and
// tiny budgets so that it runs in seconds: the whole flow ends with an exported ONNX subnet whose
// cost-model figures (as `inspect --json` reports them) meet the int8 budget, a Pareto SVG and a
// JSON report; a budget no subnet can meet is a ConfigError naming the smallest achievable values.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SearchSpace } from '@efficientdl/nas';
import { hasSharedData, sharedDataPath } from '@efficientdl/test-utils';
import { describe, expect, it } from 'vitest';
import { runCli } from '../__fixtures__/run-cli.js';
import { parseByteSize } from './nas.js';

/** 28×28 inputs resized to 12 or 16 inside the graph, a few channels: cheap to train. */
const TINY_FASHION_SPACE: SearchSpace = {
  kind: 'mobilenet-search-space',
  inputSize: 28,
  inChannels: 1,
  classes: 10,
  stemChannels: 4,
  headChannels: 16,
  stages: [
    { outChannels: 8, stride: 2, maxDepth: 2, activation: 'relu' },
    { outChannels: 12, stride: 2, maxDepth: 2, activation: 'hardswish' },
  ],
  kernelSizes: [3, 5],
  expandRatios: [1, 2],
  widthMultipliers: [0.5, 1],
  resolutions: [12, 16],
  minDepth: 1,
  pixelMean: 0.286,
  pixelStd: 0.353,
};

describe('parseByteSize', () => {
  it('reads KB/KiB/MB as powers of 1024 and bare numbers as bytes', () => {
    expect(parseByteSize('64KB')).toBe(65536);
    expect(parseByteSize('256 KiB')).toBe(262144);
    expect(parseByteSize('1.5MB')).toBe(1.5 * 1024 * 1024);
    expect(parseByteSize('4096')).toBe(4096);
    expect(() => parseByteSize('64 parsecs')).toThrow(/not a size/);
    expect(() => parseByteSize('0KB')).toThrow(/greater than 0/);
  });
});

describe.skipIf(!hasSharedData('fashion-mnist', 'train-images-idx3-ubyte.gz'))('efficientdl nas search', () => {
  const folder = mkdtempSync(join(tmpdir(), 'efficientdl-nas-'));
  const spacePath = join(folder, 'space.json');
  writeFileSync(spacePath, JSON.stringify(TINY_FASHION_SPACE));
  const common = ['nas', 'search', '--data', sharedDataPath('fashion-mnist'), '--space', spacePath, '--train-limit', '600', '--validation-images', '200'];

  it('searches, fine-tunes and exports a subnet within the int8 budget', async () => {
    const output = join(folder, 'subnet.onnx');
    const report = join(folder, 'report.json');
    const budget = ['--max-activation', '4KB', '--max-weights', '3KB'];
    const small = ['--supernet-images', '128', '--supernet-epochs', '0.5', '--predictor-samples', '6', '--population', '6', '--generations', '2'];
    const result = await runCli([...common, ...budget, ...small, '--latency-check', '3', '--finetune-epochs', '1', '--finetune-baselines', 'none', '-o', output, '--report', report]);
    expect(result.stderr).not.toContain('error');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/latency predictor MAPE: [\d.]+% on 3 random subnets/);
    expect(result.stdout).toMatch(/evolutionary search: 14 evaluations/);
    expect(result.stdout).toMatch(/random search: +14 evaluations/);
    for (const role of ['evolution', 'random', 'hand-designed']) expect(result.stdout).toMatch(new RegExp(`^${role} +[\\d,]+ +[\\d.]+ KB`, 'm'));
    const inspected = await runCli(['inspect', output, '--json']);
    const cost = JSON.parse(inspected.stdout) as { params: number; peakActivationBytes: number; inputs: { name: string; shape: unknown[] }[] };
    expect(cost.inputs[0]).toMatchObject({ name: 'pixels', shape: ['N', 1, 28, 28] });
    expect(cost.peakActivationBytes / 4).toBeLessThanOrEqual(4 * 1024); // float32 bytes / 4 = int8 bytes
    expect(cost.params).toBeLessThanOrEqual(3 * 1024); // one byte per weight at int8
    const json = JSON.parse(readFileSync(report, 'utf8')) as { finalists: { role: string; testAccuracy?: number; figures: { params: number } }[] };
    expect(json.finalists[0]?.figures.params).toBe(cost.params);
    expect(json.finalists[0]?.testAccuracy).toBeGreaterThanOrEqual(0); // fine-tuned and tested (learning is checked in @efficientdl/nas)
    expect(json.finalists[1]?.testAccuracy).toBeUndefined(); // --finetune-baselines none
    expect(readFileSync(join(folder, 'subnet.pareto.svg'), 'utf8')).toContain('<svg');
  });

  it('checks the latency table against whole-graph timings (nas latency)', async () => {
    const result = await runCli(['nas', 'latency', '--space', spacePath, '--subnets', '3', '--runs', '5']);
    expect(result.code).toBe(0);
    expect(result.lines.filter((line) => /^r\d+-w[\d.]+-.*: predicted [\d.]+ ms, measured [\d.]+ ms/.test(line))).toHaveLength(3);
    expect(result.lines.at(-1)).toMatch(/^latency predictor MAPE: [\d.]+% on 3 random subnets \(backend cpu, batch 1\)$/);
  });

  it('fails with the smallest achievable values when no subnet fits the budget', async () => {
    const result = await runCli([...common, '--max-activation', '100B', '-o', join(folder, 'never.onnx')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/error \[E_CONFIG\]: no subnet of the search space meets the constraints: .*smallest achievable: int8 peak activation [\d.]+ KB, int8 weights [\d.]+ KB/);
  });
});
