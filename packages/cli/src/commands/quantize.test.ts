// `efficientdl quantize` end to end: a tiny traced CNN with tiny IDX files (int8 on cpu and real
// onnxruntime through the injected loader, weight-only and k-means modes, usage and config
// errors), and the PyTorch Fashion-MNIST fixture on real images: the written QDQ file runs on
// onnxruntime and on backend-cpu, their predictions agree, and it is ≥ 3.5× smaller.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromNumbers } from '@efficientdl/ir';
import { BatchNorm2d, Conv2d, Flatten, Linear, MaxPool2d, ReLU, Sequential, serializeIdx } from '@efficientdl/nn';
import { exportOnnx } from '@efficientdl/onnx';
import { Generator, noGrad, trace, zeros } from '@efficientdl/tensor';
import { fixturePath, hasSharedData, sharedDataPath } from '@efficientdl/test-utils';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../__fixtures__/run-cli.js';

const loadOnnxruntime = () => import('@efficientdl/backend-onnxruntime');

function tinyCnn(): Sequential {
  const generator = new Generator(3);
  return new Sequential(
    new Conv2d({ inChannels: 1, outChannels: 8, kernelSize: 3, padding: 1, generator }), // (N, 8, 8, 8)
    new BatchNorm2d({ numFeatures: 8 }),
    new ReLU(),
    new MaxPool2d({ kernelSize: 2 }), // (N, 8, 4, 4)
    new Conv2d({ inChannels: 8, outChannels: 6, kernelSize: 3, padding: 1, generator }),
    new ReLU(),
    new Flatten(),
    new Linear({ inFeatures: 96, outFeatures: 32, generator }),
    new ReLU(),
    new Linear({ inFeatures: 32, outFeatures: 3, generator }),
  );
}

describe('efficientdl quantize', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'efficientdl-quantize-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  const file = (name: string) => join(scratch, name);
  const model = tinyCnn().eval();
  writeFileSync(file('tiny.onnx'), exportOnnx(noGrad(() => trace(model, [zeros([1, 1, 8, 8])], { inputNames: ['pixels'], outputNames: ['logits'], dynamicBatch: true })), { opset: 17 }));
  const generator = new Generator(5);
  writeFileSync(file('images.idx'), serializeIdx(fromNumbers('uint8', [48, 8, 8], Array.from({ length: 48 * 64 }, () => generator.randomInt(256)))));
  writeFileSync(file('labels.idx'), serializeIdx(fromNumbers('uint8', [48], Array.from({ length: 48 }, (_, index) => index % 3))));
  writeFileSync(file('empty.idx'), serializeIdx(fromNumbers('uint8', [0, 8, 8], [])));
  const test = ['--test-images', file('images.idx'), '--test-labels', file('labels.idx')];
  const fast = ['--latency-batch', '16', '--latency-runs', '2'];

  it('int8: writes a QDQ file, measures it on cpu and onnxruntime, and reports their agreement', async () => {
    const output = file('tiny-int8.onnx');
    const args = ['quantize', file('tiny.onnx'), '-o', output, '--calib-images', file('images.idx'), '--calib-count', '40', '--observer', 'percentile', ...test, ...fast];
    const result = await runCli(args, { engine: { loadOnnxruntime } });
    expect(result.stderr).toContain('calibrated 5 activations on 40 images (percentile observer, per-channel weights)');
    expect(result.code).toBe(0);
    expect(existsSync(output)).toBe(true);
    expect(result.stdout).toMatch(/file bytes\s+[\d,]+\s+[\d,]+\s+[\d.]+x smaller/);
    for (const backend of ['cpu', 'onnxruntime']) {
      expect(result.stdout).toMatch(new RegExp(`accuracy ${backend}\\s+0\\.\\d{4}\\s+0\\.\\d{4}`));
      expect(result.stdout).toMatch(new RegExp(`latency ${backend} \\(batch 16\\)\\s+[\\d.]+ ms\\s+[\\d.]+ ms\\s+speedup`));
    }
    const agreement = Number(/agreement \(int8\): ([\d.]+)%/.exec(result.stdout)?.[1]);
    expect(agreement).toBeGreaterThanOrEqual(95);
  });

  it('weight-only and k-means modes write models that run on cpu (onnxruntime skipped where it lacks the op)', async () => {
    for (const mode of ['w8', 'w4', 'kmeans4']) {
      const result = await runCli(['quantize', file('tiny.onnx'), '-o', file(`tiny-${mode}.onnx`), '--mode', mode, '--group-size', '16', ...test, ...fast], { engine: { loadOnnxruntime } });
      expect(result.stderr).not.toMatch(/^error/m);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/accuracy cpu\s+0\.\d{4}\s+0\.\d{4}/);
      // onnxruntime has no ai.efficientdl MatMulNBits: that backend is skipped with a note, not a failure
      if (mode !== 'kmeans4') expect(result.stderr).toMatch(/onnxruntime: skipped \(.*MatMulNBits/);
    }
  });

  it('usage and configuration errors', async () => {
    const noCalibration = await runCli(['quantize', file('tiny.onnx'), '-o', file('x.onnx')]);
    expect(noCalibration.code).toBe(2);
    expect(noCalibration.stderr).toContain('--calib-images');
    const empty = await runCli(['quantize', file('tiny.onnx'), '-o', file('x.onnx'), '--calib-images', file('empty.idx'), '--backends', 'cpu']);
    expect(empty.code).toBe(1);
    expect(empty.stderr).toMatch(/error \[E_CONFIG\]: .*no images/);
    const badObserver = await runCli(['quantize', file('tiny.onnx'), '-o', file('x.onnx'), '--calib-images', file('images.idx'), '--observer', 'median']);
    expect(badObserver.code).toBe(2);
  });

  it.skipIf(!hasSharedData('fashion-mnist/t10k-images-idx3-ubyte.gz'))('the PyTorch classifier: QDQ runs on onnxruntime and backend-cpu, agrees, and is ≥ 3.5× smaller', async () => {
    const images = sharedDataPath('fashion-mnist/t10k-images-idx3-ubyte.gz');
    const labels = sharedDataPath('fashion-mnist/t10k-labels-idx1-ubyte.gz');
    const calibration = sharedDataPath('fashion-mnist/train-images-idx3-ubyte.gz');
    const output = file('pytorch-int8.onnx');
    const args = ['quantize', fixturePath('pytorch-models', 'pytorch-fmnist-classifier.onnx'), '-o', output, '--calib-images', calibration, '--calib-count', '512'];
    const result = await runCli([...args, '--test-images', images, '--test-labels', labels, '--test-limit', '1000', '--latency-runs', '2'], { engine: { loadOnnxruntime } });
    expect(result.code).toBe(0);
    const [before, after] = (/file bytes\s+([\d,]+)\s+([\d,]+)/.exec(result.stdout) ?? []).slice(1).map((text) => Number(text.replaceAll(',', '')));
    expect((before as number) / (after as number)).toBeGreaterThanOrEqual(3.5);
    for (const backend of ['cpu', 'onnxruntime']) {
      const [floatAccuracy, int8Accuracy] = (new RegExp(`accuracy ${backend}\\s+([\\d.]+)\\s+([\\d.]+)`).exec(result.stdout) ?? []).slice(1).map(Number);
      // 1000 images: a looser bound than the 0.3 pt measured on the full 10k test set
      expect((floatAccuracy as number) - (int8Accuracy as number)).toBeLessThanOrEqual(0.015);
    }
    expect(Number(/agreement \(int8\): ([\d.]+)%/.exec(result.stdout)?.[1])).toBeGreaterThanOrEqual(99);
  });
});
