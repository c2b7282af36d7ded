// Imports real models from ../shared/data: the opset-8 MNIST classifier (run on cpu, matching its
// reference output) and ONNX's "light" architectures (imported and validated; their inferred
// output type must match the stored reference output — the files carry no input data to run).
import { readFileSync, readdirSync } from 'node:fs';
import { type OpSchema, type TensorData, broadcastShapes, hasOp, registerOp, toNumberArray } from '@efficientdl/ir';
import { hasSharedData, loadNodeTest, runNodeTestDataset, sharedDataPath } from '@efficientdl/test-utils';
import { describe, expect, it } from 'vitest';
import { readTensorProto } from './tensor-proto-bytes.js';
import { importOnnx } from './import-onnx.js';

/**
 * Ops the light models use that the IR has no schema for yet: minimal test-only schemas (shape
 * and dtype inference per the ONNX docs) are registered when the IR lacks them, so the import
 * and whole-graph inference of these models is tested today.
 */
const TEST_ONLY_SCHEMAS: OpSchema[] = [
  {
    name: 'ConstantOfShape',
    domain: '',
    inputs: [{ name: 'input', dtypes: ['int64'] }],
    outputs: [{ name: 'output' }],
    attrs: { value: { type: 'tensor' } },
    infer: ({ constants, attrs }) => {
      const shape = constants[0] ? Array.from(toNumberArray(constants[0])) : [];
      return [{ dtype: (attrs.value as TensorData | undefined)?.dtype ?? 'float32', shape }];
    },
  },
  {
    name: 'LRN',
    domain: '',
    inputs: [{ name: 'X' }],
    outputs: [{ name: 'Y' }],
    attrs: { alpha: { type: 'float' }, beta: { type: 'float' }, bias: { type: 'float' }, size: { type: 'int', required: true } },
    infer: ({ inputs }) => [inputs[0] as NonNullable<(typeof inputs)[0]>],
  },
  {
    name: 'Sum',
    domain: '',
    inputs: [{ name: 'data_0', variadic: true }],
    outputs: [{ name: 'sum' }],
    attrs: {},
    infer: ({ inputs }) => [{ dtype: inputs[0]?.dtype ?? 'float32', shape: broadcastShapes(inputs.map((info) => info?.shape ?? []), 'Sum') }],
  },
];
for (const schema of TEST_ONLY_SCHEMAS) if (!hasOp(schema.name)) registerOp(schema);

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
