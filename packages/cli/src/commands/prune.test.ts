// `efficientdl prune` end to end on a tiny traced CNN with tiny IDX files: prune, fine-tune,
// export, before/after table (cpu, and real onnxruntime through the injected loader); config
// errors exit 1 without writing; the PyTorch Fashion-MNIST fixture on real test images.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fromNumbers } from '@efficientdl/ir';
import { BatchNorm2d, Conv2d, Flatten, Linear, MaxPool2d, Module, ReLU, Sequential, serializeIdx } from '@efficientdl/nn';
import { exportOnnx, importOnnx } from '@efficientdl/onnx';
import { Generator, type Tensor, trace, zeros } from '@efficientdl/tensor';
import { fixturePath, hasSharedData, sharedDataPath } from '@efficientdl/test-utils';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../__fixtures__/run-cli.js';

const loadOnnxruntime = () => import('@efficientdl/backend-onnxruntime');

class TinyCnn extends Module {
  readonly body: Sequential;
  constructor() {
    super();
    const generator = new Generator(3);
    this.body = this.registerModule(
      'body',
      new Sequential(
        new Conv2d({ inChannels: 1, outChannels: 8, kernelSize: 3, padding: 1, generator }),
        new BatchNorm2d({ numFeatures: 8 }),
        new ReLU(),
        new MaxPool2d({ kernelSize: 2 }), // (N, 8, 4, 4)
        new Conv2d({ inChannels: 8, outChannels: 6, kernelSize: 3, padding: 1, generator }),
        new ReLU(),
        new Flatten(),
        new Linear({ inFeatures: 96, outFeatures: 3, generator }),
      ),
    );
  }
  // x: (N, 1, 8, 8) → (N, 3)
  forward(x: Tensor): Tensor {
    return this.body.call(x);
  }
}

describe('efficientdl prune', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'efficientdl-prune-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));
  const file = (name: string) => join(scratch, name);

  const model = new TinyCnn().eval();
  writeFileSync(file('tiny.onnx'), exportOnnx(trace(model, [zeros([1, 1, 8, 8])], { inputNames: ['pixels'], outputNames: ['logits'], dynamicBatch: true }), { opset: 17 }));
  const generator = new Generator(5);
  writeFileSync(file('images.idx'), serializeIdx(fromNumbers('uint8', [40, 8, 8], Array.from({ length: 40 * 64 }, () => generator.randomInt(256)))));
  writeFileSync(file('labels.idx'), serializeIdx(fromNumbers('uint8', [40], Array.from({ length: 40 }, (_, index) => index % 3))));
  const data = ['--finetune-images', file('images.idx'), '--finetune-labels', file('labels.idx'), '--test-images', file('images.idx'), '--test-labels', file('labels.idx')];

  it('prunes, fine-tunes, exports and prints the before/after table', async () => {
    const output = file('tiny-pruned.onnx');
    const args = ['prune', file('tiny.onnx'), '-o', output, '--ratio', '0.5', ...data, '--epochs', '1', '--batch-size', '8', '--latency-batch', '4', '--latency-runs', '2'];
    const result = await runCli(args, { engine: { loadOnnxruntime } });
    expect(result.stderr).toContain('fine-tuning 1 epoch(s) on 40 images');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/body\.0\s+Conv\s+0\s+8\s+4/);
    expect(result.stdout).toMatch(/body\.4\s+Conv\s+1\s+6\s+3/);
    expect(result.stdout).toMatch(/^latency cpu \(batch 4, median\)\s+[\d.]+ ms\s+[\d.]+ ms\s+speedup [\d.]+x$/m);
    expect(result.stdout).toMatch(/^latency cpu \(batch 4, min\)\s+[\d.]+ ms\s+[\d.]+ ms\s+speedup [\d.]+x$/m);
    expect(result.stdout).toMatch(/^latency onnxruntime \(batch 4, median\)\s+[\d.]+ ms/m);
    expect(result.stdout).toMatch(/^accuracy\s+0\.\d{4}\s+0\.\d{4}\s+[+-]\d+\.\d\d pt$/m);
    expect(result.lines.at(-1)).toMatch(/^wrote .*tiny-pruned\.onnx \(\d+ bytes\)$/);
    const pruned = importOnnx(new Uint8Array(readFileSync(output)));
    expect(pruned.initializers.get('body.0.weight')?.shape).toEqual([4, 1, 3, 3]);
    expect(pruned.initializers.get('body.7.weight')?.shape).toEqual([3, 48]);
  });

  it('rejects a bad ratio before writing anything, and unknown granularities as usage errors', async () => {
    const output = file('never.onnx');
    const bad = await runCli(['prune', file('tiny.onnx'), '-o', output, '--ratio', '1', '--backends', 'cpu']);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^error \[E_CONFIG\]: prune: ratio must be a number in \[0, 1\), got 1/m);
    expect(existsSync(output)).toBe(false);
    const unknownLayer = await runCli(['prune', file('tiny.onnx'), '-o', output, '--ratio', '0.5', '--ignore', 'body.99']);
    expect(unknownLayer.stderr).toMatch(/ignore names layer 'body.99'/);
    const taylorWithoutData = await runCli(['prune', file('tiny.onnx'), '-o', output, '--ratio', '0.5', '--importance', 'taylor']);
    expect(taylorWithoutData.code).toBe(2);
    expect(existsSync(output)).toBe(false);
  });

  it('dispatches sparsity granularities to pruneSparse (2:4 zeroes half of every weight group of 4)', async () => {
    const output = file('tiny-24.onnx');
    const result = await runCli(['prune', file('tiny.onnx'), '-o', output, '--ratio', '0.5', '--granularity', '2:4', '--backends', 'cpu', '--latency-runs', '1', '--latency-batch', '2']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^sparsity: 2:4/m);
    const weight = importOnnx(new Uint8Array(readFileSync(output))).initializers.get('body.4.weight');
    const values = Array.from(weight?.data as Float32Array);
    expect(weight?.shape).toEqual([6, 8, 3, 3]);
    expect(values.filter((value) => value === 0).length).toBe(values.length / 2);
  });

  it('skips a backend that is not installed', async () => {
    const loadMissing = async () => {
      throw new Error("Cannot find package '@efficientdl/backend-onnxruntime'");
    };
    const result = await runCli(['prune', file('tiny.onnx'), '-o', file('t2.onnx'), '--ratio', '0.25', '--importance', 'l1', '--latency-runs', '1', '--latency-batch', '2'], {
      engine: { loadOnnxruntime: loadMissing },
    });
    expect(result.code).toBe(0);
    expect(result.stderr).toContain('latency on onnxruntime: skipped');
    expect(result.stdout).not.toContain('latency onnxruntime');
  });
});

describe.skipIf(!hasSharedData('fashion-mnist'))('efficientdl prune on the PyTorch Fashion-MNIST classifier', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'efficientdl-prune-fmnist-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('halves the channels to < 30% of the MACs; onnxruntime runs the written file', async () => {
    const images = sharedDataPath('fashion-mnist', 't10k-images-idx3-ubyte.gz');
    const labels = sharedDataPath('fashion-mnist', 't10k-labels-idx1-ubyte.gz');
    const output = join(scratch, 'pruned.onnx');
    const args = ['prune', fixturePath('pytorch-models', 'pytorch-fmnist-classifier.onnx'), '-o', output, '--ratio', '0.5', '--test-images', images, '--test-labels', labels, '--test-limit', '256', '--latency-runs', '2'];
    const result = await runCli(args, { engine: { loadOnnxruntime } });
    expect(result.code).toBe(0);
    const macs = /^MACs \(per image\)\s+([\d,]+)\s+([\d,]+)/m.exec(result.stdout);
    const [before, after] = [Number(macs?.[1]?.replace(/,/g, '')), Number(macs?.[2]?.replace(/,/g, ''))];
    expect(after / before).toBeLessThan(0.3);
    expect(result.stdout).toMatch(/^latency onnxruntime \(batch 64, median\)/m);
    const accuracy = /^accuracy\s+(0\.\d+)\s+(0\.\d+)/m.exec(result.stdout);
    expect(Number(accuracy?.[1])).toBeGreaterThan(0.8);
  });
});
