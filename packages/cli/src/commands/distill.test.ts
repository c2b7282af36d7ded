// `efficientdl distill` end to end on real data: the PyTorch-exported Fashion-MNIST classifier
// (test-utils fixture) teaches a small untrained student exported from nn; after two short epochs
// on 2,000 training images the student must have learned (accuracy far above chance on the 10k
// test images) and the written ONNX must import with the student's interface.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Conv2d, Flatten, Linear, MaxPool2d, ReLU, Sequential } from '@efficientdl/nn';
import { exportOnnx, importOnnx } from '@efficientdl/onnx';
import { Generator, trace, zeros } from '@efficientdl/tensor';
import { fixturePath, hasSharedData, sharedDataPath } from '@efficientdl/test-utils';
import { describe, expect, it } from 'vitest';
import { runCli } from '../__fixtures__/run-cli.js';

function writeStudent(path: string): void {
  const generator = new Generator(3);
  // pixels: (N, 1, 28, 28) → logits: (N, 10)
  const student = new Sequential(
    new Conv2d({ inChannels: 1, outChannels: 4, kernelSize: 3, padding: 1, generator }),
    new ReLU(),
    new MaxPool2d({ kernelSize: 4 }), // (N, 4, 7, 7)
    new Flatten(),
    new Linear({ inFeatures: 4 * 7 * 7, outFeatures: 10, generator }),
  );
  const graph = trace(student, [zeros([1, 1, 28, 28])], { name: 'student', inputNames: ['pixels'], outputNames: ['logits'], dynamicBatch: true });
  writeFileSync(path, exportOnnx(graph, { opset: 17 }));
}

describe.skipIf(!hasSharedData('fashion-mnist', 'train-images-idx3-ubyte.gz'))('efficientdl distill', () => {
  it('trains an ONNX student from an ONNX teacher and writes it back', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'efficientdl-distill-'));
    const studentPath = join(folder, 'student.onnx');
    const outputPath = join(folder, 'distilled.onnx');
    writeStudent(studentPath);
    const data = (name: string) => sharedDataPath('fashion-mnist', name);
    const result = await runCli([
      'distill',
      '--teacher', fixturePath('pytorch-models', 'pytorch-fmnist-classifier.onnx'),
      '--student', studentPath,
      '-o', outputPath,
      '--images', data('train-images-idx3-ubyte.gz'),
      '--labels', data('train-labels-idx1-ubyte.gz'),
      '--test-images', data('t10k-images-idx3-ubyte.gz'),
      '--test-labels', data('t10k-labels-idx1-ubyte.gz'),
      '--limit', '2000',
      '--epochs', '2',
      '--lr', '0.005',
      '--alpha', '0.3',
    ]);
    expect(result.code, result.stderr).toBe(0);
    const number = (label: string) => Number(result.lines.find((line) => line.startsWith(label))?.slice(label.length));
    // the teacher's own test accuracy on the 10k test images (Python onnxruntime: 0.8982)
    expect(number('teacher accuracy: ')).toBeCloseTo(0.8982, 3);
    expect(number('student accuracy before: ')).toBeLessThan(0.3);
    expect(result.lines.at(-1)).toMatch(/^student accuracy: 0\.\d{4}$/);
    expect(number('student accuracy: ')).toBeGreaterThan(0.6);
    const written = importOnnx(readFileSync(outputPath), { file: outputPath });
    expect(written.inputs.map((value) => value.name)).toEqual(['pixels']);
    expect(written.outputs.map((value) => value.name)).toEqual(['logits']);
  });

  it('rejects --alpha outside [0, 1] as a usage error', async () => {
    const result = await runCli(['distill', '--teacher', 'a.onnx', '--student', 'b.onnx', '-o', 'c.onnx', '--images', 'i', '--labels', 'l', '--alpha', '1.5']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('must be in [0, 1]');
  });
});
