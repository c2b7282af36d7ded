// `quantize-experiment --data <dir>`: issue [E]'s int8 PTQ check on backend-cpu. For FashionCnn
// (trained here for --epochs, or read from --model <onnx>) and the PyTorch Fashion-MNIST fixture:
// int8 static quantization calibrated on the first --calib-count training images, then fp32 vs
// int8 accuracy on the 10k test set (int8 = the QDQ file as written, lowered to integer kernels),
// fp32/int8 prediction agreement, file sizes and latency at batch 64. Writes the ONNX files to
// --out; the onnxruntime side (accuracy, cpu ↔ onnxruntime agreement) is `efficientdl quantize`,
// whose command lines are printed at the end. LAST line per model: `<name>: fp32 … int8 …`.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { type Graph, type TensorData, foldBatchNorm, toNumberArray } from '@efficientdl/ir';
import { DataLoader, type TensorDataset } from '@efficientdl/nn';
import { exportOnnx, importOnnx } from '@efficientdl/onnx';
import { type ObserverKind, int8Static, lowerToIntegerOps, quantize } from '@efficientdl/quantize';
import { type Tensor, noGrad, runGraph, trace, zeros } from '@efficientdl/tensor';
import { loadFashionMnist } from './datasets.js';
import { runPipeline } from './pipeline.js';

const PYTORCH_FIXTURE = fileURLToPath(new URL('../../../test-utils/src/__fixtures__/pytorch-models/pytorch-fmnist-classifier.onnx', import.meta.url));

export interface ModelResult {
  name: string;
  bytes: [number, number];
  accuracy: [number, number];
  agreement: number;
  latency: [number, number];
  warnings: readonly string[];
}

/** Top-1 predictions of `graph` on every test image (tensor engine: backend-cpu). */
function predict(graph: Graph, test: TensorDataset): Int32Array {
  const input = graph.inputs[0]?.name as string;
  const result = new Int32Array(test.length);
  let offset = 0;
  for (const [pixels] of new DataLoader(test, { batchSize: 500 })) {
    const logits = Object.values(noGrad(() => runGraph(graph, { [input]: pixels as Tensor })))[0] as Tensor;
    const values = toNumberArray(logits.data);
    const [rows, classes] = logits.shape as [number, number];
    for (let row = 0; row < rows; row++) {
      let best = 0;
      for (let column = 1; column < classes; column++) if ((values[row * classes + column] as number) > (values[row * classes + best] as number)) best = column;
      result[offset++] = best;
    }
  }
  return result;
}

function accuracy(predictions: Int32Array, test: TensorDataset): number {
  const labels = test.tensors[1]?.data as BigInt64Array;
  return predictions.reduce((correct, prediction, index) => correct + (prediction === Number(labels[index]) ? 1 : 0), 0) / predictions.length;
}

/** Median ms per batch-64 forward of each graph, in alternating blocks (A B A B …) so load drift hits both. */
function latency(graphs: readonly Graph[], pixels: TensorData, rounds = 4, perBlock = 5): number[] {
  const times: number[][] = graphs.map(() => []);
  const run = (graph: Graph) => noGrad(() => runGraph(graph, { [graph.inputs[0]?.name as string]: pixels }));
  for (const graph of graphs) run(graph);
  for (let round = 0; round < rounds; round++) {
    graphs.forEach((graph, index) => {
      for (let repeat = 0; repeat < perBlock; repeat++) {
        const started = performance.now();
        run(graph);
        times[index]?.push(performance.now() - started);
      }
    });
  }
  return times.map((list) => [...list].sort((a, b) => a - b)[list.length >> 1] as number);
}

async function measure(name: string, floatBytes: Uint8Array, data: { train: TensorDataset; test: TensorDataset }, options: { calibCount: number; observer: ObserverKind; out: string }): Promise<ModelResult> {
  const floatGraph = importOnnx(floatBytes);
  const calibration = [...new DataLoader(data.train.slice(0, options.calibCount), { batchSize: 64 })].map(([pixels]) => pixels as Tensor);
  const { graph, report } = await quantize(floatGraph, int8Static({ calibration, observer: options.observer }));
  const int8Bytes = exportOnnx(graph);
  writeFileSync(join(options.out, `${name}-fp32.onnx`), floatBytes);
  writeFileSync(join(options.out, `${name}-int8.onnx`), int8Bytes);
  const integer = lowerToIntegerOps(importOnnx(int8Bytes));
  const [floatPredictions, int8Predictions] = [predict(floatGraph, data.test), predict(integer, data.test)];
  const agreement = floatPredictions.reduce((same, prediction, index) => same + (prediction === int8Predictions[index] ? 1 : 0), 0) / floatPredictions.length;
  const batch = (data.test.getBatch(Array.from({ length: 64 }, (_, index) => index))[0] as Tensor).data;
  const [floatMs, int8Ms, foldedMs] = latency([floatGraph, integer, foldBatchNorm(floatGraph)], batch);
  console.log(`${name}: fp32 (BatchNorm folded) ${(foldedMs as number).toFixed(2)} ms/batch`);
  return {
    name,
    bytes: [floatBytes.length, int8Bytes.length],
    accuracy: [accuracy(floatPredictions, data.test), accuracy(int8Predictions, data.test)],
    agreement,
    latency: [floatMs as number, int8Ms as number],
    warnings: report.warnings,
  };
}

async function fashionCnnBytes(options: { model?: string; epochs: number }, data: { train: TensorDataset; test: TensorDataset }): Promise<Uint8Array> {
  if (options.model) return new Uint8Array(readFileSync(options.model));
  const { model, testAccuracy } = await runPipeline({ ...data, epochs: options.epochs, batchSize: 64, lr: 2e-3, seed: 0, progress: 'none', log: (line) => console.log(line) });
  console.log(`FashionCnn trained: test accuracy ${testAccuracy.toFixed(4)}`);
  model.eval();
  // pixels: (N, 1, 28, 28) → logits: (N, 10)
  return exportOnnx(trace(model, [zeros([1, 1, 28, 28])], { name: 'fashion_cnn', inputNames: ['pixels'], outputNames: ['logits'], dynamicBatch: true }));
}

function line(result: ModelResult): string {
  const [floatAccuracy, int8Accuracy] = result.accuracy;
  const [floatMs, int8Ms] = result.latency;
  return [
    `${result.name}: fp32 ${floatAccuracy.toFixed(4)} int8 ${int8Accuracy.toFixed(4)} (${((int8Accuracy - floatAccuracy) * 100).toFixed(2)} pt)`,
    `agreement ${(100 * result.agreement).toFixed(2)}%`,
    `size ${result.bytes[0]} → ${result.bytes[1]} bytes (${(result.bytes[0] / result.bytes[1]).toFixed(2)}x)`,
    `backend-cpu batch 64: fp32 ${floatMs.toFixed(2)} ms, int8 ${int8Ms.toFixed(2)} ms (${(floatMs / int8Ms).toFixed(2)}x)`,
  ].join(', ');
}

export interface QuantizeExperimentOptions {
  data: string;
  /** A trained FashionCnn ONNX file; without it FashionCnn is trained for `epochs`. */
  model?: string;
  epochs: number;
  calibCount: number;
  observer: ObserverKind;
  out: string;
  pytorch: string;
}

/** Runs the experiment and prints its report; returns the per-model results. */
export async function runQuantizeExperiment(options: QuantizeExperimentOptions): Promise<ModelResult[]> {
  const data = await loadFashionMnist(options.data);
  mkdirSync(options.out, { recursive: true });
  const fashion = await fashionCnnBytes({ model: options.model, epochs: options.epochs }, data);
  const results = [await measure('fashion-cnn', fashion, data, options), await measure('pytorch-classifier', new Uint8Array(readFileSync(options.pytorch)), data, options)];
  for (const result of results) for (const warning of result.warnings) console.log(`warning (${result.name}): ${warning}`);
  console.log('onnxruntime side (accuracy per backend, cpu/onnxruntime agreement):');
  for (const result of results) {
    const folder = options.data.replace(/\/$/, '');
    console.log(`  efficientdl quantize ${join(options.out, `${result.name}-fp32.onnx`)} -o ${join(options.out, `${result.name}-int8-cli.onnx`)} --calib-images ${folder}/train-images-idx3-ubyte.gz --calib-count ${options.calibCount} --observer ${options.observer} --test-images ${folder}/t10k-images-idx3-ubyte.gz --test-labels ${folder}/t10k-labels-idx1-ubyte.gz`);
  }
  for (const result of results) console.log(line(result));
  return results;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      data: { type: 'string' },
      model: { type: 'string' },
      epochs: { type: 'string', default: '3' },
      'calib-count': { type: 'string', default: '512' },
      observer: { type: 'string', default: 'minmax' },
      out: { type: 'string', default: 'quantize-experiment' },
      pytorch: { type: 'string', default: PYTORCH_FIXTURE },
    },
  });
  if (!values.data) throw new Error('usage: quantize-experiment --data <Fashion-MNIST folder> [--model fashion.onnx | --epochs 3] [--calib-count 512] [--observer minmax|percentile|entropy|mse] [--out dir] [--pytorch classifier.onnx]');
  await runQuantizeExperiment({
    data: values.data,
    model: values.model,
    epochs: Number(values.epochs),
    calibCount: Number(values['calib-count']),
    observer: values.observer as ObserverKind,
    out: values.out as string,
    pytorch: values.pytorch as string,
  });
}

// run only when executed as a script (tests import runQuantizeExperiment)
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
    process.exitCode = 1;
  });
}
