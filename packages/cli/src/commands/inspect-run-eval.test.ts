// `efficientdl inspect`, `run` and `eval` on the real mnist-8 model (ONNX Model Zoo), checked
// against hand-computed costs, its reference output_0.pb and a known accuracy floor.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isFloatDType, shapeSize } from '@efficientdl/ir';
import { importOnnx, readTensorProto } from '@efficientdl/onnx';
import { expectClose, hasSharedData, sharedDataPath } from '@efficientdl/test-utils';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../__fixtures__/run-cli.js';
import { parseNpy, serializeNpy } from '../npy.js';

const model = sharedDataPath('models', 'mnist-8', 'model.onnx');
const inputPb = sharedDataPath('models', 'mnist-8', 'test_data_set_0', 'input_0.pb');
const outputPb = sharedDataPath('models', 'mnist-8', 'test_data_set_0', 'output_0.pb');

describe.skipIf(!hasSharedData('models', 'mnist-8'))('inspect, run and eval on mnist-8', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'efficientdl-cli-run-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('inspect --json: params from the initializer shapes and hand-computed MACs', async () => {
    const result = await runCli(['inspect', model, '--json']);
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    // independent count: float initializers of the imported graph
    const graph = importOnnx(readFileSync(model));
    const params = [...graph.initializers.values()].filter((tensor) => isFloatDType(tensor.dtype)).reduce((total, tensor) => total + shapeSize(tensor.shape), 0);
    expect(report.params).toBe(params);
    // by hand: conv1 8x1x5x5 + 8, conv2 16x8x5x5 + 16, fc 256x10 + 10
    expect(report.params).toBe(200 + 8 + 3200 + 16 + 2560 + 10);
    // conv1 8·28·28 outputs × 25 taps, conv2 16·14·14 × 200, fc 256 × 10
    expect(report.macs).toBe(8 * 28 * 28 * 25 + 16 * 14 * 14 * 200 + 2560);
    expect(report.ops).toEqual({ Reshape: 2, Conv: 2, Add: 3, Relu: 2, MaxPool: 2, MatMul: 1 });
    expect(Object.keys(report).slice(0, 5)).toEqual(['params', 'macs', 'bytes', 'peakActivationBytes', 'ops']);
    // a float32 model: int8 deployment bytes are the element counts
    expect(report.int8).toEqual({ weightBytes: report.params, peakActivationBytes: report.peakActivationBytes / 4 });
    expect(report.fileOpsets).toEqual({ '': 8 });
  });

  it('inspect prints the summary and the cost table', async () => {
    const result = await runCli(['inspect', model, '--dims', 'N=1']);
    expect(result.stdout).toContain('  Input3  float32(1, 1, 28, 28)');
    expect(result.stdout).toContain('nodes: 12 (Add x3, Conv x2, MaxPool x2, Relu x2, Reshape x2, MatMul x1)');
    expect(result.stdout).toMatch(/^parameters: 5,994$/m);
  });

  it('run with a .pb input matches the reference output and writes .npy outputs', async () => {
    const result = await runCli(['run', model, '--input', `Input3=${inputPb}`, '-o', join(scratch, 'npy'), '--format', 'npy']);
    expect(result.code).toBe(0);
    expect(result.lines[0]).toMatch(/^output\s+dtype\s+shape\s+min\s+max\s+mean$/);
    expect(result.lines[1]).toMatch(/^Plus214_Output_0\s+float32\s+\(1, 10\)\s/);
    const written = parseNpy(readFileSync(join(scratch, 'npy', 'Plus214_Output_0.npy')));
    expectClose(written, readTensorProto(readFileSync(outputPb)).tensor, { rtol: 1e-3, atol: 1e-4 });
  });

  it('run with a .npy input (name taken from the only model input) writes .pb outputs', async () => {
    const npyInput = join(scratch, 'digit.npy');
    writeFileSync(npyInput, serializeNpy(readTensorProto(readFileSync(inputPb)).tensor));
    const result = await runCli(['run', model, '-i', npyInput, '-o', join(scratch, 'pb')]);
    expect(result.code).toBe(0);
    const written = readTensorProto(readFileSync(join(scratch, 'pb', 'Plus214_Output_0.pb')));
    expect(written.name).toBe('Plus214_Output_0');
    expectClose(written.tensor, readTensorProto(readFileSync(outputPb)).tensor, { rtol: 1e-3, atol: 1e-4 });
  });

  it('run reports a wrong input dtype as E_DTYPE', async () => {
    const wrong = join(scratch, 'wrong.npy');
    writeFileSync(wrong, serializeNpy({ dtype: 'float64', shape: [1, 1, 28, 28], data: new Float64Array(784) }));
    const result = await runCli(['run', model, '-i', wrong]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error \[E_DTYPE\]: model input 'Input3' is float32, got float64\(1, 1, 28, 28\)$/m);
  });
});

describe.skipIf(!hasSharedData('models', 'mnist-8') || !hasSharedData('mnist'))('eval on MNIST', () => {
  it('mnist-8 scores well above 0.9 on the first 500 test images', async () => {
    const result = await runCli([
      'eval',
      model,
      '--images',
      sharedDataPath('mnist', 't10k-images-idx3-ubyte.gz'),
      '--labels',
      sharedDataPath('mnist', 't10k-labels-idx1-ubyte.gz'),
      '--scale',
      '1',
      '--limit',
      '500',
    ]);
    expect(result.code).toBe(0);
    const last = result.lines.at(-1) as string;
    expect(last).toMatch(/^accuracy: \d\.\d{4}$/);
    expect(Number(last.slice('accuracy: '.length))).toBeGreaterThan(0.95);
    expect(result.lines).toContain(`correct: ${Math.round(Number(last.slice(10)) * 500)} / 500`);
  });

  it('with negated pixels the same model does much worse (the preprocessing is applied)', async () => {
    const result = await runCli([
      'eval',
      model,
      '--images',
      sharedDataPath('mnist', 't10k-images-idx3-ubyte.gz'),
      '--labels',
      sharedDataPath('mnist', 't10k-labels-idx1-ubyte.gz'),
      '--scale=-1',
      '--limit',
      '100',
    ]);
    expect(Number((result.lines.at(-1) as string).slice(10))).toBeLessThan(0.5);
  });
});
