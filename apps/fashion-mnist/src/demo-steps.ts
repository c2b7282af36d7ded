// The compression steps of `demo` after training: channel-prune the trained FashionCnn with
// @efficientdl/prune and fine-tune it briefly (prune-steps.ts), int8 static PTQ of the float and
// the pruned model with @efficientdl/quantize (as quantize-experiment.ts), ONNX bytes of all
// four, then one measured row per model: params and MACs (IR cost model of the ONNX graph),
// file size, batch latency on the engine's current backend (backend-cpu; apps import no backend)
// and test accuracy. Every figure is measured on the ONNX file as written (imported back; int8
// files lowered to integer kernels as backend-cpu runs them).
import { foldBatchNorm } from '@efficientdl/ir';
import { DataLoader, GraphModule, type TensorDataset } from '@efficientdl/nn';
import { exportOnnx, importOnnx } from '@efficientdl/onnx';
import { type PruneReport, formatPruneReport, graphCost, magnitude, prune } from '@efficientdl/prune';
import { int8Static, lowerToIntegerOps, quantize } from '@efficientdl/quantize';
import type { Tensor } from '@efficientdl/tensor';
import type { DemoRow } from './demo-table.js';
import type { FashionCnn } from './model.js';
import { accuracy, cpuLatency, finetune, ratioForMacs, traceModel } from './prune-steps.js';

export interface DemoStepsOptions {
  train: TensorDataset;
  test: TensorDataset;
  /** Uniform channel ratio to remove; without it, the smallest ratio (0.05 grid) whose MACs fit `macsBudget`. */
  pruneRatio?: number;
  /** Fraction of the float model's MACs the pruned model may keep (default 0.4). */
  macsBudget?: number;
  /** Kept channels are a multiple of this (default 8). */
  roundTo?: number;
  finetuneEpochs: number;
  /** Peak AdamW learning rate of the fine-tune (default 1e-3). */
  finetuneLr?: number;
  seed: number;
  /** Calibration images for int8 PTQ: the first N training images (default 512). */
  calibCount?: number;
  /** Batch size of the latency runs (default 64). */
  latencyBatch?: number;
  /** Timed runs per model (default 30, in 5 alternating rounds). */
  latencyRuns?: number;
  log?: (line: string) => void;
}

export interface DemoFile {
  /** File name, e.g. `fashion-cnn-pruned-int8.onnx`. */
  name: string;
  bytes: Uint8Array;
  /** Int8 QDQ file: runs lowered to integer kernels. */
  int8: boolean;
}

export interface DemoStepsResult {
  rows: DemoRow[];
  /** The four ONNX files in row order. */
  files: DemoFile[];
  /** Channel ratio the pruning step used. */
  ratio: number;
  pruneReport: PruneReport;
  /** Warnings of the int8 calibrations (NaN / Inf met, …). */
  warnings: string[];
}

const MODEL_NAMES = ['float', 'pruned', 'int8', 'pruned+int8'] as const;

/** Channel-prunes (L2 group magnitude, uniform) and fine-tunes with BatchNorm on batch statistics. */
export async function pruneStep(original: GraphModule, options: DemoStepsOptions): Promise<{ model: GraphModule; ratio: number; report: PruneReport }> {
  const log = options.log ?? (() => {});
  const config = { importance: magnitude({ p: 2 }), roundTo: options.roundTo ?? 8 };
  const ratio = options.pruneRatio ?? ratioForMacs(original, options.macsBudget ?? 0.4, config);
  const { model: pruned, report } = prune(original, { ...config, ratio });
  log(`pruning: uniform channel ratio ${ratio}, L2 group magnitude, kept channels a multiple of ${config.roundTo}`);
  log(formatPruneReport(report));
  log(`accuracy right after pruning ${accuracy(pruned, options.test).toFixed(4)}; fine-tuning ${options.finetuneEpochs} epoch(s)`);
  const tuned = await finetune(pruned, { train: options.train, epochs: options.finetuneEpochs, lr: options.finetuneLr ?? 1e-3, seed: options.seed + 1, log });
  return { model: tuned, ratio, report };
}

/** Float ONNX bytes (opset 17) of an eval-mode GraphModule, BatchNorm folded into the convs as exporters do. */
export function floatOnnx(model: GraphModule): Uint8Array {
  return exportOnnx(foldBatchNorm(model.toGraph()), { opset: 17 });
}

/** Int8 static PTQ (minmax, per-channel weights) of a float ONNX file → QDQ ONNX bytes (opset 17). */
export async function int8Onnx(floatBytes: Uint8Array, calibration: readonly Tensor[]): Promise<{ bytes: Uint8Array; warnings: readonly string[] }> {
  const { graph, report } = await quantize(importOnnx(floatBytes), int8Static({ calibration: [...calibration], observer: 'minmax' }));
  return { bytes: exportOnnx(graph, { opset: 17 }), warnings: report.warnings };
}

/** The module that runs an ONNX file on the engine: the file imported back, int8 QDQ lowered to integer kernels. */
export function runnableOf(file: DemoFile): GraphModule {
  const graph = importOnnx(file.bytes);
  return GraphModule.fromGraph(file.int8 ? lowerToIntegerOps(graph) : graph);
}

/** One row per file: cost of the ONNX graph, size, accuracy, then latency of all files in alternating blocks. */
export function measureFiles(files: readonly DemoFile[], labels: readonly string[], options: DemoStepsOptions): DemoRow[] {
  const runnables = files.map(runnableOf);
  const batch = options.latencyBatch ?? 64;
  const latencies = cpuLatency(runnables, { batch, runs: options.latencyRuns ?? 30 });
  return files.map((file, index) => {
    const { params, macs } = graphCost(importOnnx(file.bytes));
    const model = labels[index] ?? file.name;
    const latencyMs = latencies[index]?.median ?? Number.NaN;
    return { model, params, macs, bytes: file.bytes.length, latencyMs, accuracy: accuracy(runnables[index] as GraphModule, options.test) };
  });
}

function calibrationBatches(train: TensorDataset, count: number): Tensor[] {
  // pixels: (64, 1, 28, 28) per batch
  return [...new DataLoader(train.slice(0, Math.min(count, train.length)), { batchSize: 64 })].map(([pixels]) => pixels as Tensor);
}

/** Prune → fine-tune → int8 PTQ of both models → ONNX → measured rows (float, pruned, int8, pruned+int8). */
export async function runDemoSteps(model: FashionCnn, options: DemoStepsOptions): Promise<DemoStepsResult> {
  const log = options.log ?? (() => {});
  const original = traceModel(model, 'fashion_cnn');
  const pruned = await pruneStep(original, options);
  const [floatBytes, prunedBytes] = [floatOnnx(original), floatOnnx(pruned.model)];
  const calibration = calibrationBatches(options.train, options.calibCount ?? 512);
  log(`int8 static quantization: calibrating on ${Math.min(options.calibCount ?? 512, options.train.length)} training images (minmax, per-channel int8 weights, uint8 activations)`);
  const [int8, prunedInt8] = [await int8Onnx(floatBytes, calibration), await int8Onnx(prunedBytes, calibration)];
  const files: DemoFile[] = [
    { name: 'fashion-cnn.onnx', bytes: floatBytes, int8: false },
    { name: 'fashion-cnn-pruned.onnx', bytes: prunedBytes, int8: false },
    { name: 'fashion-cnn-int8.onnx', bytes: int8.bytes, int8: true },
    { name: 'fashion-cnn-pruned-int8.onnx', bytes: prunedInt8.bytes, int8: true },
  ];
  log(`measuring: accuracy on ${options.test.length} test images, backend-cpu latency at batch ${options.latencyBatch ?? 64}`);
  const rows = measureFiles(files, MODEL_NAMES, options);
  return { rows, files, ratio: pruned.ratio, pruneReport: pruned.report, warnings: [...int8.warnings, ...prunedInt8.warnings] };
}
