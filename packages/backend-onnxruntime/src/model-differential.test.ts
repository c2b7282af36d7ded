// Differential tests on whole real models: backend-cpu (runGraph, op by op) against onnxruntime
// (compile(): our exportOnnx at opset 21 → one ORT session). mnist-8 is also checked against
// its stored output; the onnx-light architectures get seeded random inputs of their declared
// shapes. A model is skipped (with the reason printed) only if backend-cpu lacks one of its ops
// or would take more than 20 s, estimated from its MACs at backend-cpu's slowest measured speed
// on these conv nets (≈ 250 M MACs/s on 2 cores: shufflenet 240, alexnet 330, inception_v1 1360).
import { readFileSync, readdirSync } from 'node:fs';
import { createCpuBackend } from '@efficientdl/backend-cpu';
import { type Backend, type Graph, type TensorData, analyzeCost } from '@efficientdl/ir';
import { importOnnx, readTensorProto } from '@efficientdl/onnx';
import { getBackend, runGraph, setBackend } from '@efficientdl/tensor';
import { expectClose, hasSharedData, randomTensorData, sharedDataPath } from '@efficientdl/test-utils';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OnnxruntimeBackend, createOnnxruntimeBackend } from './index.js';

const MODEL_TOLERANCE = { rtol: 1e-3, atol: 1e-5 };
const CPU_SECONDS_LIMIT = 20;

let previous: Backend<TensorData>;
let ort: OnnxruntimeBackend;
/** Conservative backend-cpu speed, in MACs per second (see the header). */
const CPU_MACS_PER_SECOND = 250e6;

beforeAll(async () => {
  previous = getBackend();
  setBackend(createCpuBackend());
  ort = await createOnnxruntimeBackend({ intraOpThreads: 2 });
});
afterAll(() => setBackend(previous));

function runOnCpu(graph: Graph, feeds: Record<string, TensorData>): Record<string, TensorData> {
  const outputs = runGraph(graph, feeds);
  return Object.fromEntries(Object.entries(outputs).map(([name, tensor]) => [name, tensor.data]));
}

async function runOnOrt(graph: Graph, feeds: Record<string, TensorData>): Promise<Record<string, TensorData>> {
  const compiled = await ort.compile(graph);
  try {
    return await compiled.run(feeds);
  } finally {
    compiled.dispose();
  }
}

/** Why backend-cpu cannot run `graph` in time, or undefined. */
function skipReason(graph: Graph): string | undefined {
  const cpu = createCpuBackend();
  const missing = graph.nodes.filter((node) => !cpu.supports(node.op, [], node.domain) && !cpu.supports(node.op, ['float32'], node.domain));
  if (missing.length > 0) return `backend-cpu has no kernel for ${[...new Set(missing.map((node) => node.op))].join(', ')}`;
  const macs = analyzeCost(graph, { dims: {} }).macs;
  const seconds = macs / CPU_MACS_PER_SECOND;
  if (seconds > CPU_SECONDS_LIMIT) return `${(macs / 1e9).toFixed(2)} GMACs ≈ ${seconds.toFixed(0)} s on backend-cpu (limit ${CPU_SECONDS_LIMIT} s)`;
  return undefined;
}

/** Seeded uniform inputs in [-1, 1) of each declared input shape (symbolic dims → 1). */
function randomFeeds(graph: Graph): Record<string, TensorData> {
  return Object.fromEntries(
    graph.inputs.map((input, index) => {
      const shape = input.shape.map((dim) => (typeof dim === 'number' ? dim : 1));
      return [input.name, randomTensorData(shape, { seed: 100 + index, dtype: input.dtype })];
    }),
  );
}

describe.skipIf(!hasSharedData('models', 'mnist-8', 'model.onnx'))('mnist-8 (real pretrained weights)', () => {
  it('backend-cpu and onnxruntime both reproduce the stored output', async () => {
    const graph = importOnnx(readFileSync(sharedDataPath('models', 'mnist-8', 'model.onnx')), { file: 'mnist-8/model.onnx' });
    const input = readTensorProto(readFileSync(sharedDataPath('models', 'mnist-8', 'test_data_set_0', 'input_0.pb'))).tensor;
    const expected = readTensorProto(readFileSync(sharedDataPath('models', 'mnist-8', 'test_data_set_0', 'output_0.pb'))).tensor;
    const feeds = { [graph.inputs[0]?.name as string]: input };
    const outputName = graph.outputs[0]?.name as string;
    const cpu = runOnCpu(graph, feeds)[outputName] as TensorData;
    const onnxruntime = (await runOnOrt(graph, feeds))[outputName] as TensorData;
    expectClose(cpu, expected, { rtol: 1e-3, atol: 1e-4 });
    expectClose(onnxruntime, expected, { rtol: 1e-3, atol: 1e-4 });
    expectClose(onnxruntime, cpu, MODEL_TOLERANCE);
  });
});

const LIGHT_DIR = 'onnx-light';
const lightModels = hasSharedData(LIGHT_DIR) ? readdirSync(sharedDataPath(LIGHT_DIR)).filter((file) => /^light_.*\.onnx$/.test(file)) : [];

describe.skipIf(lightModels.length === 0)('onnx-light architectures (seeded random inputs)', () => {
  it.each(lightModels)('%s: onnxruntime agrees with backend-cpu', async (file) => {
    const graph = importOnnx(readFileSync(sharedDataPath(LIGHT_DIR, file)), { file });
    const reason = skipReason(graph);
    if (reason) {
      console.log(`skipping ${file}: ${reason}`);
      return;
    }
    const feeds = randomFeeds(graph);
    const onnxruntime = await runOnOrt(graph, feeds);
    const cpu = runOnCpu(graph, feeds);
    for (const output of graph.outputs) expectClose(onnxruntime[output.name] as TensorData, cpu[output.name] as TensorData, MODEL_TOLERANCE);
    expect(Object.keys(onnxruntime).sort()).toEqual(graph.outputs.map((output) => output.name).sort());
  });
});
