// Imports real models from ../shared/data: the opset-8 MNIST classifier (run on cpu, matching its
// reference output) and ONNX's "light" architectures (imported and validated; their inferred
// output type must match the stored reference output — the files carry no input data to run).
import { readFileSync, readdirSync } from 'node:fs';
import { hasSharedData, loadNodeTest, runNodeTestDataset, sharedDataPath } from '@efficientdl/test-utils';
import { describe, expect, it } from 'vitest';
import { readTensorProto } from './tensor-proto-bytes.js';
import { importOnnx } from './import-onnx.js';

describe.skipIf(!hasSharedData('models', 'mnist-8'))('mnist-8 (opset 8)', () => {
  it('imports, validates and reproduces test_data_set_0 on cpu', () => {
    const test = loadNodeTest(sharedDataPath('models', 'mnist-8'));
    expect(test.graph.inputs.map((value) => value.shape)).toEqual([[1, 1, 28, 28]]);
    expect(test.graph.outputs[0]?.shape).toEqual([1, 10]);
    expect(test.graph.initializers.size).toBeGreaterThan(0);
    const dataset = test.datasets[0];
    expect(dataset).toBeDefined();
    const result = runNodeTestDataset(test.graph, dataset as NonNullable<typeof dataset>, { rtol: 1e-3, atol: 1e-5 });
    expect(result.reason).toBe('');
  });
});

const lightDir = sharedDataPath('onnx-light');
const lightModels = hasSharedData('onnx-light') ? readdirSync(lightDir).filter((file) => file.endsWith('.onnx')) : [];

describe.skipIf(lightModels.length === 0)('onnx-light architectures', () => {
  for (const file of lightModels) {
    it(`${file} imports, validates and infers its reference output type`, () => {
      const graph = importOnnx(readFileSync(`${lightDir}/${file}`), { file });
      expect(graph.nodes.length).toBeGreaterThan(0);
      const expected = readTensorProto(readFileSync(`${lightDir}/${file.replace('.onnx', '_output_0.pb')}`)).tensor;
      expect(graph.outputs[0]?.dtype).toBe(expected.dtype);
      expect(graph.outputs[0]?.shape).toEqual(expected.shape);
    });
  }
});
