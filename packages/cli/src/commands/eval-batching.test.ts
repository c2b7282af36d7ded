// `efficientdl eval` batching on a generated model whose scores are its pixels: x (N, 1, 2, 2) →
// Reshape → (N, 4), so the prediction is the brightest pixel. 7 images with a symbolic batch dim
// and --batch-size 3 exercise full and partial batches; a fixed batch dim of 1 runs one at a time.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Dim, createGraph, tensorData } from '@efficientdl/ir';
import { serializeIdx } from '@efficientdl/nn';
import { exportOnnx } from '@efficientdl/onnx';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../__fixtures__/run-cli.js';

function writeModel(path: string, batch: Dim): void {
  const graph = createGraph({
    name: 'brightest-pixel',
    inputs: [{ name: 'x', dtype: 'float32', shape: [batch, 1, 2, 2] }],
    outputs: [{ name: 'scores', dtype: 'float32', shape: [batch, 4] }],
    initializers: { shape: tensorData('int64', [2], new BigInt64Array([-1n, 4n])) },
    nodes: [{ op: 'Reshape', inputs: ['x', 'shape'], outputs: ['scores'] }],
  });
  writeFileSync(path, exportOnnx(graph));
}

describe('eval batching', () => {
  const dir = mkdtempSync(join(tmpdir(), 'efficientdl-cli-eval-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  // images: (7, 2, 2); image k has its brightest pixel at k % 4
  const pixels = new Uint8Array(28);
  for (let image = 0; image < 7; image++) pixels[image * 4 + (image % 4)] = 200;
  const labels = new Uint8Array([0, 1, 2, 3, 0, 1, 0]); // the last label is wrong (brightest is 2)
  writeFileSync(join(dir, 'images.idx'), serializeIdx(tensorData('uint8', [7, 2, 2], pixels)));
  writeFileSync(join(dir, 'labels.idx'), serializeIdx(tensorData('uint8', [7], labels)));
  writeModel(join(dir, 'symbolic.onnx'), 'N');
  writeModel(join(dir, 'fixed.onnx'), 1);
  const files = ['--images', join(dir, 'images.idx'), '--labels', join(dir, 'labels.idx')];

  it('symbolic batch dim: batches of 3, 3 and 1 give 6 of 7', async () => {
    const result = await runCli(['eval', join(dir, 'symbolic.onnx'), ...files, '--batch-size', '3']);
    expect(result.stderr).toContain("-> input 'x' (3, 1, 2, 2)");
    expect(result.lines.slice(-2)).toEqual(['correct: 6 / 7', 'accuracy: 0.8571']);
  });

  it('fixed batch dim 1: one image at a time, same result; --limit 4 counts only the first 4', async () => {
    const all = await runCli(['eval', join(dir, 'fixed.onnx'), ...files]);
    expect(all.stderr).toContain("-> input 'x' (1, 1, 2, 2)");
    expect(all.lines.at(-1)).toBe('accuracy: 0.8571');
    const limited = await runCli(['eval', join(dir, 'fixed.onnx'), ...files, '--limit', '4']);
    expect(limited.lines.slice(-2)).toEqual(['correct: 4 / 4', 'accuracy: 1.0000']);
  });

  it('(pixel·scale − mean)/std that flips the sign picks the darkest pixel instead', async () => {
    const result = await runCli(['eval', join(dir, 'symbolic.onnx'), ...files, '--mean', '1', '--std', '2', '--scale=-1']);
    // negated scores: ties among the three dark pixels resolve to the first of them
    expect(result.lines.at(-1)).toBe('accuracy: 0.1429');
  });
});
