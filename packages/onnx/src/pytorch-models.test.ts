// Differential test on classifiers exported by PyTorch's ONNX exporter (opset 17) and on the
// QDQ int8 model that onnxruntime's quantize_static made from one (tools/device/
// make-reference-models.py, run on the device machine; the outputs were computed there by
// Python onnxruntime 1.30 with graph optimizations off). backend-cpu must agree within 1e-4
// relative (atol = 1e-4 × the largest |logit|, since logits near zero have no useful relative scale).
// PyTorch's exporter (eval mode) folds BatchNorm into the Conv weights, so no BatchNormalization
// node survives here; BatchNormalization itself is covered by ONNX's node tests (test_batchnorm_*).
import { readFileSync } from 'node:fs';
import { createCpuBackend } from '@efficientdl/backend-cpu';
import type { Backend, TensorData } from '@efficientdl/ir';
import { getBackend, runGraph, setBackend } from '@efficientdl/tensor';
import { expectClose, fixturePath, loadNodeTestDatasets } from '@efficientdl/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importOnnx } from './index.js';

let previous: Backend<TensorData>;
beforeAll(() => {
  previous = getBackend();
  setBackend(createCpuBackend());
});
afterAll(() => setBackend(previous));

function largestMagnitude(tensor: TensorData): number {
  let largest = 0;
  for (const value of tensor.data as Float32Array) largest = Math.max(largest, Math.abs(value));
  return largest;
}

describe.each(['pytorch-classifier', 'pytorch-classifier-qdq'])('%s (PyTorch export, opset 17)', (name) => {
  it('runs on backend-cpu within 1e-4 relative of onnxruntime', () => {
    const folder = fixturePath('pytorch-models', name);
    const graph = importOnnx(readFileSync(`${folder}/model.onnx`), { file: `${name}/model.onnx` });
    const ops = new Set(graph.nodes.map((node) => node.op));
    if (name.endsWith('qdq')) expect(ops).toContain('QuantizeLinear');
    else for (const op of ['Conv', 'Relu', 'MaxPool', 'Flatten', 'Gemm']) expect(ops).toContain(op);
    const [dataset] = loadNodeTestDatasets(folder, graph);
    if (dataset === undefined) throw new Error(`${folder} has no test_data_set`);
    const outputs = runGraph(graph, dataset.inputs);
    for (const [outputName, expected] of Object.entries(dataset.outputs)) {
      const actual = outputs[outputName]?.data as TensorData;
      expectClose(actual, expected, { rtol: 1e-4, atol: 1e-4 * largestMagnitude(expected) });
    }
  });
});
