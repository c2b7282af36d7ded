// The exported ONNX file imports back and reproduces the eager model's logits, at a batch size
// other than the traced one (dynamic batch).
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importOnnx } from '@efficientdl/onnx';
import { Generator, noGrad, rand, runGraph } from '@efficientdl/tensor';
import { expectClose } from '@efficientdl/test-utils';
import { afterAll, describe, expect, it } from 'vitest';
import { exportModelToOnnx } from './export-model.js';
import { FashionCnn } from './model.js';

const folder = mkdtempSync(join(tmpdir(), 'fashion-export-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('exportModelToOnnx', () => {
  it('round-trips through ONNX with the same logits at batch 5', async () => {
    const model = new FashionCnn({ seed: 3 });
    const generator = new Generator(7);
    // Give BatchNorm non-trivial running statistics so the eval-mode path is exercised.
    for (const [name, buffer] of model.namedBuffers()) {
      if (buffer.dtype !== 'float32') continue;
      const values = buffer.values as Float32Array;
      for (let index = 0; index < values.length; index++) values[index] = name.endsWith('running_var') ? 0.5 + generator.random() : generator.random() - 0.5;
    }
    const path = join(folder, 'model.onnx');
    const bytes = await exportModelToOnnx(model, path);
    expect(bytes).toBeGreaterThan(4 * 20586);
    const graph = importOnnx(readFileSync(path), { file: path });
    expect(graph.inputs[0]?.shape[0]).toBe('N');
    expect([...graph.initializers.keys()]).toContain('features.0.weight');
    const pixels = rand([5, 1, 28, 28], { generator }); // pixels: (5, 1, 28, 28)
    model.eval();
    const eager = noGrad(() => model.call(pixels));
    const outputs = runGraph(graph, { pixels: pixels.data });
    const logits = outputs.logits;
    if (!logits) throw new Error('no logits output');
    expect(logits.shape).toEqual([5, 10]);
    expectClose(logits.data, eager.data, { rtol: 1e-5, atol: 1e-5 });
  });
});
