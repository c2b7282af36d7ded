// `efficientdl conformance`: generated node-test folders (one right, one wrong), a subset of
// ONNX's own node tests (pass + out-of-scope skip), a whole model, the tfjs engine, and the
// onnxruntime adapter through an injected module.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Backend, Graph, TensorData } from '@efficientdl/ir';
import { runGraph } from '@efficientdl/tensor';
import { hasSharedData, sharedDataPath } from '@efficientdl/test-utils';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../__fixtures__/run-cli.js';
import { writeTinyNodeTests } from '../__fixtures__/tiny-node-tests.js';

const TALLY = /^\d+ passed, \d+ failed, \d+ skipped$/;

describe('conformance on generated node-test folders', () => {
  const root = writeTinyNodeTests();
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('passes the right case, fails the wrong one with the worst element, exits 1', async () => {
    const result = await runCli(['conformance', root]);
    expect(result.lines.at(-1)).toBe('1 passed, 1 failed, 0 skipped');
    expect(result.lines[0]).toMatch(/^FAIL cases\/bad: mismatch: output 'z': 1 of 6 elements differ .* worst at \[0, 0\]: 1.5 vs expected 1.51/);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^backend: cpu/);
  });

  it('exits 0 when nothing fails (--filter selects the good case)', async () => {
    const result = await runCli(['conformance', root, '--filter', 'good$']);
    expect(result.stdout).toBe('1 passed, 0 failed, 0 skipped\n');
    expect(result.code).toBe(0);
  });

  it('widened --atol lets the 0.01 difference pass', async () => {
    const result = await runCli(['conformance', join(root, 'cases'), '--atol', '0.02']);
    expect(result.lines.at(-1)).toBe('2 passed, 0 failed, 0 skipped');
  });

  it('runs whole graphs through an injected onnxruntime module (compile path)', async () => {
    let compiled = 0;
    const fakeBackend = {
      name: 'fake-ort',
      describe: () => 'fake onnxruntime',
      compile: async (graph: Graph) => {
        compiled++;
        return {
          run: async (feeds: Record<string, TensorData>) =>
            Object.fromEntries(Object.entries(runGraph(graph, feeds)).map(([name, tensor]) => [name, tensor.data])),
          dispose: () => {},
        };
      },
    } as unknown as Backend;
    const loadOnnxruntime = async () => ({ createOnnxruntimeBackend: async () => fakeBackend });
    const result = await runCli(['conformance', root, '--backend', 'onnxruntime'], { engine: { loadOnnxruntime } });
    expect(result.lines.at(-1)).toBe('1 passed, 1 failed, 0 skipped');
    expect(result.stderr).toContain('backend: fake onnxruntime');
    expect(compiled).toBe(2);
  });

  it('says what to install when the onnxruntime package is missing', async () => {
    const loadOnnxruntime = async () => {
      throw new Error("Cannot find package '@efficientdl/backend-onnxruntime'");
    };
    const result = await runCli(['conformance', root, '--backend', 'onnxruntime'], { engine: { loadOnnxruntime } });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^error \[E_CONFIG\]: --backend onnxruntime needs the package @efficientdl\/backend-onnxruntime/m);
  });

  it('refuses a folder without any model.onnx', async () => {
    const result = await runCli(['conformance', join(root, 'cases', 'good', 'test_data_set_0')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/error \[E_CONFIG\]: no model.onnx found/);
  });
});

describe.skipIf(!hasSharedData('onnx-node'))("conformance on ONNX's node tests", () => {
  const dir = sharedDataPath('onnx-node');
  const filter = '^test_(add|relu|softmax_axis_1|cast_FLOAT_to_FLOAT8E4M3FN)$';

  it('passes real cases and skips an out-of-scope dtype with the importer reason (cpu)', async () => {
    const result = await runCli(['conformance', dir, '--filter', filter]);
    expect(result.lines.at(-1)).toBe('3 passed, 0 failed, 1 skipped');
    expect(result.lines).toContain(
      "SKIP test_cast_FLOAT_to_FLOAT8E4M3FN: value 'output': dtype float8e4m3fn is out of scope (ONNX data type 17)",
    );
    expect(result.code).toBe(0);
  });

  it('runs the same cases on tfjs, op by op through the engine', async () => {
    const result = await runCli(['conformance', dir, '--filter', filter, '--backend', 'tfjs']);
    expect(result.lines.at(-1)).toMatch(TALLY);
    expect(result.lines.at(-1)).toBe('3 passed, 0 failed, 1 skipped');
    expect(result.stderr).toMatch(/^backend: tfjs (tensorflow|wasm|cpu)/);
  });
});

describe.skipIf(!hasSharedData('models', 'mnist-8'))('conformance on a whole model', () => {
  it('runs mnist-8 with its reference input/output pair', async () => {
    const result = await runCli(['conformance', sharedDataPath('models')]);
    expect(result.stdout).toBe('1 passed, 0 failed, 0 skipped\n');
  });
});
