// `quantize-advanced-experiment --data <dir>`: issue [E]'s checks on FashionCnn (trained for
// --epochs, or loaded from --checkpoint), traced with BatchNorm folded:
//   (a) K-means 4-bit on every Conv/Gemm weight + centroid fine-tuning: accuracy, weight-size ratio;
//   (b) 80 % global magnitude pruning + fine-tuning, then K-means 4-bit (zeros kept) + fine-tuning:
//       accuracy and size with sparse relative indices (and bitmap / Huffman variants);
//   (c) W4A8: post-training quantization vs quantization-aware training, both exported as QDQ;
//   (d) mixed precision: per-layer sensitivity (8/4/2 bits) on the last 1000 training images and
//       the least-drop plan within a budget of 1/7 of the float model size;
//   (e) weight-only int8 / int4 (group 32) of the Gemm layer as MatMulNBits: accuracy and bytes.
// Ends with one `[E] …` line per acceptance criterion.
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { type Graph, foldBatchNorm } from '@efficientdl/ir';
import { Adam, type BatchSource, CosineAnnealingLR, DataLoader, GraphModule, type Module, type Sample, type TensorDataset, crossEntropy, evaluate, fit } from '@efficientdl/nn';
import { type SparsityMasks, agpSchedule, pruneSparse } from '@efficientdl/prune';
import {
  type KmeansSizeReport,
  applyKmeans,
  applyMixedPrecision,
  applyWeightOnly,
  calibrateQAT,
  convertQAT,
  formatKmeansSizeTable,
  kmeansSizeReport,
  prepareQAT,
} from '@efficientdl/quantize';
import { type Tensor, readSafetensors, trace, writeSafetensors, zeros } from '@efficientdl/tensor';
import { loadFashionMnist } from './datasets.js';
import { FashionCnn } from './model.js';
import { runPipeline } from './pipeline.js';

interface Options {
  data: string;
  epochs: number;
  checkpoint?: string;
  limit?: number;
  testLimit?: number;
  kmeansEpochs: number;
  pruneEpochs: number;
  pruneSteps: number;
  qatEpochs: number;
  calibrationBatches: number;
  parts: Set<string>;
}

interface Context {
  options: Options;
  train: TensorDataset;
  test: TensorDataset;
  graph: Graph;
  baseline: number;
  verdicts: string[];
}

const USAGE = `usage: quantize-advanced-experiment --data <Fashion-MNIST folder> [--epochs 3] [--checkpoint file.safetensors]
  [--limit N] [--test-limit N] [--kmeans-epochs 1] [--prune-epochs 2] [--prune-steps 4] [--qat-epochs 1] [--calibration-batches 8] [--parts a,b,c,d,e]`;

function parseOptions(): Options {
  const { values } = parseArgs({
    options: {
      data: { type: 'string' },
      epochs: { type: 'string', default: '3' },
      checkpoint: { type: 'string' },
      limit: { type: 'string' },
      'test-limit': { type: 'string' },
      'kmeans-epochs': { type: 'string', default: '1' },
      'prune-epochs': { type: 'string', default: '2' },
      'prune-steps': { type: 'string', default: '4' },
      'qat-epochs': { type: 'string', default: '1' },
      'calibration-batches': { type: 'string', default: '8' },
      parts: { type: 'string', default: 'a,b,c,d,e' },
    },
  });
  if (!values.data) throw new Error(USAGE);
  const optional = (text: string | undefined) => (text === undefined ? undefined : Number(text));
  return {
    data: values.data,
    epochs: Number(values.epochs),
    checkpoint: values.checkpoint,
    limit: optional(values.limit),
    testLimit: optional(values['test-limit']),
    kmeansEpochs: Number(values['kmeans-epochs']),
    pruneEpochs: Number(values['prune-epochs']),
    pruneSteps: Number(values['prune-steps']),
    qatEpochs: Number(values['qat-epochs']),
    calibrationBatches: Number(values['calibration-batches']),
    parts: new Set((values.parts ?? 'a,b,c,d,e').split(',')),
  };
}

/** The trained float model: loaded from --checkpoint when it exists, else trained (and saved there). */
async function trainedModel(options: Options, train: TensorDataset, test: TensorDataset): Promise<FashionCnn> {
  const model = new FashionCnn({ seed: 0 });
  if (options.checkpoint && existsSync(options.checkpoint)) {
    model.loadStateDict((await readSafetensors(options.checkpoint)).tensors);
    console.log(`loaded ${options.checkpoint}`);
    return model;
  }
  const run = await runPipeline({ train, test, epochs: options.epochs, batchSize: 64, lr: 2e-3, seed: 0, progress: 'none', log: (line) => console.log(line) });
  if (options.checkpoint) await writeSafetensors(options.checkpoint, run.model.stateDict());
  return run.model;
}

/** pixels: (N, 1, 28, 28) → logits: (N, 10), traced in eval mode, BatchNorm folded into the convs. */
function floatGraph(model: FashionCnn): Graph {
  model.eval();
  return foldBatchNorm(trace(model, [zeros([1, 1, 28, 28])], { name: 'fashion_cnn', inputNames: ['pixels'], outputNames: ['logits'], dynamicBatch: true }));
}

function accuracy(model: Graph | Module<Tensor | Tensor[]>, test: TensorDataset): number {
  const module = 'nodes' in model ? GraphModule.fromGraph(model) : model;
  return evaluate(module as Module, new DataLoader(test, { batchSize: 500 }));
}

function trainLoader(context: Context, seed: number): DataLoader {
  return new DataLoader(context.train, { batchSize: 64, shuffle: true, seed });
}

async function fineTune(context: Context, model: Module<Tensor | Tensor[]>, options: { epochs: number; lr: number; seed: number }): Promise<void> {
  if (options.epochs === 0) return;
  const optimizer = new Adam(model.parameters(), { lr: options.lr });
  await fit({
    model: model as Module,
    optimizer,
    loss: (logits, targets) => crossEntropy(logits, targets),
    trainLoader: trainLoader(context, options.seed),
    epochs: options.epochs,
    progress: 'none',
    epochSummary: false,
    onEpochEnd: (record) => console.log(`  fine-tune epoch ${record.epoch}: loss ${record.loss.toFixed(4)}, ${record.seconds.toFixed(1)} s`),
  });
  model.eval();
}

const points = (value: number) => `${(value * 100).toFixed(2)} pt`;

function verdict(context: Context, label: string, pass: boolean, detail: string): void {
  context.verdicts.push(`[E] ${label}: ${pass ? 'PASS' : 'FAIL'} (${detail})`);
}

/** (a) K-means 4-bit on all layers + centroid fine-tuning. */
async function kmeansExperiment(context: Context): Promise<void> {
  console.log('\n(a) K-means 4-bit, all Conv/Gemm weights');
  const clustered = await applyKmeans(context.graph, { bits: 4 });
  const before = accuracy(clustered.model, context.test);
  console.log(`  after clustering: test accuracy ${before.toFixed(4)}`);
  const tuned = await applyKmeans(context.graph, { bits: 4, fineTune: { epochs: context.options.kmeansEpochs, lr: 1e-4 } }, { trainLoader: trainLoader(context, 1) });
  const after = accuracy(tuned.model, context.test);
  const size = kmeansSizeReport(tuned.layers);
  console.log(`  after ${context.options.kmeansEpochs} epoch(s) of centroid fine-tuning: test accuracy ${after.toFixed(4)}\n${indent(formatKmeansSizeTable(size))}`);
  console.log(`  with Huffman-coded indices: ${kmeansSizeReport(tuned.layers, { huffman: true }).total.ratio.toFixed(2)}x`);
  const loss = context.baseline - after;
  verdict(context, 'k-means 4-bit + fine-tune', loss <= 0.005 && size.total.ratio >= 7, `loss ${points(loss)} (≤ 0.5), weights ${size.total.ratio.toFixed(2)}x smaller (≥ 7)`);
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}

function sizeLine(label: string, report: KmeansSizeReport): string {
  return `  ${label.padEnd(44)} ${String(report.total.storedBytes).padStart(6)} B  ${report.total.ratio.toFixed(2)}x`;
}

/** `epochs` passes over `loader`, split into `parts` consecutive runs of batches (drawn lazily). */
function splitBatches(loader: DataLoader, epochs: number, parts: number): BatchSource[] {
  const total = loader.length * epochs;
  const source = (function* (): Generator<Sample> {
    for (let epoch = 0; epoch < epochs; epoch++) {
      loader.setEpoch(epoch);
      yield* loader;
    }
  })();
  return Array.from({ length: parts }, (_, part) => {
    const length = Math.floor((total * (part + 1)) / parts) - Math.floor((total * part) / parts);
    return {
      length,
      *[Symbol.iterator]() {
        for (let index = 0; index < length; index++) {
          const next = source.next();
          if (next.done) return;
          yield next.value;
        }
      },
    };
  });
}

/**
 * Global magnitude pruning to 80 %, in --prune-steps AGP steps spread over the fine-tuning batches
 * (1 = one shot, then fine-tune); Adam with a cosine learning rate from 1e-3 to 1e-5 per step.
 */
async function pruneAndFineTune(context: Context, model: GraphModule): Promise<SparsityMasks> {
  const { pruneSteps, pruneEpochs } = context.options;
  const schedule = pruneSteps === 1 ? [0.8] : agpSchedule({ finalRatio: 0.8, steps: pruneSteps });
  const loader = trainLoader(context, 2);
  const chunks = splitBatches(loader, pruneEpochs, pruneSteps);
  const optimizer = new Adam(model.parameters(), { lr: 1e-3 });
  const scheduler = new CosineAnnealingLR(optimizer, { tMax: Math.max(1, loader.length * pruneEpochs), etaMin: 1e-5, interval: 'step' });
  let masks: SparsityMasks | undefined;
  for (const [index, ratio] of schedule.entries()) {
    masks = pruneSparse(model, { granularity: 'element', ratio, scope: 'global' });
    if (index === 0) console.log(`  pruned to ${ratio.toFixed(2)}: test accuracy ${accuracy(model, context.test).toFixed(4)}`);
    const detach = masks.attach(optimizer, model);
    const { history } = await fit({ model: model as Module, optimizer, scheduler, loss: (logits, targets) => crossEntropy(logits, targets), trainLoader: chunks[index] as BatchSource, epochs: 1, progress: 'none', epochSummary: false });
    detach();
    console.log(`  step ${index + 1}/${pruneSteps}: sparsity ${ratio.toFixed(3)}, fine-tune loss ${history[0]?.loss.toFixed(4)}, ${history[0]?.seconds.toFixed(1)} s`);
  }
  model.eval();
  return masks as SparsityMasks;
}

/** (b) 80 % magnitude pruning + fine-tuning, then K-means 4-bit (zeros kept) + fine-tuning. */
async function pruneKmeansExperiment(context: Context): Promise<void> {
  console.log(`\n(b) 80 % global magnitude pruning (${context.options.pruneSteps} step(s)) → fine-tune → K-means 4-bit → fine-tune`);
  const pruned = GraphModule.fromGraph(context.graph);
  const masks = await pruneAndFineTune(context, pruned);
  const prunedAccuracy = accuracy(pruned, context.test);
  console.log(`  pruned + fine-tuned: test accuracy ${prunedAccuracy.toFixed(4)}`);
  const tuned = await applyKmeans(
    pruned,
    { bits: 4, fineTune: { epochs: context.options.kmeansEpochs, lr: 1e-4 } },
    { trainLoader: trainLoader(context, 3), masks: Object.fromEntries(masks.masks) },
  );
  const after = accuracy(tuned.model, context.test);
  console.log(`  + k-means 4-bit + fine-tune: test accuracy ${after.toFixed(4)}`);
  const relative = kmeansSizeReport(tuned.layers, { positions: 'relative' });
  const huffman = kmeansSizeReport(tuned.layers, { positions: 'relative', huffman: true });
  console.log(indent(formatKmeansSizeTable(relative)));
  console.log(sizeLine('relative indices (4 bits) + packed 4-bit values', kmeansSizeReport(tuned.layers, { positions: 'relative', indexBits: 4 })));
  console.log(sizeLine('relative indices (per-layer bits) + packed values', relative));
  console.log(sizeLine('bitmap + packed 4-bit values', kmeansSizeReport(tuned.layers, { positions: 'bitmap' })));
  console.log(sizeLine('relative indices + values, Huffman-coded', huffman));
  const loss = context.baseline - after;
  const best = Math.max(relative.total.ratio, huffman.total.ratio);
  verdict(context, 'prune 80% + k-means 4-bit', loss <= 0.01 && best >= 20, `loss ${points(loss)} (≤ 1), weights ${relative.total.ratio.toFixed(2)}x packed, ${huffman.total.ratio.toFixed(2)}x with Huffman (≥ 20)`);
}

function calibrationBatches(context: Context): Tensor[] {
  const batches: Tensor[] = [];
  for (const [images] of trainLoader(context, 4)) {
    if (batches.length >= context.options.calibrationBatches) break;
    batches.push(images as Tensor);
  }
  return batches;
}

/** (c) W4A8: PTQ (calibration only) vs QAT, both exported to QDQ and evaluated as QDQ graphs. */
async function w4a8Experiment(context: Context): Promise<void> {
  const calibration = calibrationBatches(context);
  for (const perChannel of [true, false]) {
    const label = perChannel ? 'per-channel' : 'per-tensor';
    console.log(`\n(c) W4A8: int4 ${label} weights, uint8 activations`);
    const ptqModel = prepareQAT(context.graph, { weightBits: 4, perChannel, observer: 'minmax' });
    calibrateQAT(ptqModel, calibration);
    const ptq = accuracy(convertQAT(ptqModel), context.test);
    console.log(`  PTQ (${calibration.length} calibration batches of 64, min/max): QDQ test accuracy ${ptq.toFixed(4)}`);
    const qat = prepareQAT(context.graph, { weightBits: 4, perChannel });
    calibrateQAT(qat, calibration);
    await fineTune(context, qat, { epochs: context.options.qatEpochs, lr: 1e-4, seed: 5 });
    const qatAccuracy = accuracy(convertQAT(qat), context.test);
    console.log(`  QAT (${context.options.qatEpochs} epoch(s), lr 1e-4): QDQ test accuracy ${qatAccuracy.toFixed(4)}`);
    const [ptqLoss, qatLoss] = [context.baseline - ptq, context.baseline - qatAccuracy];
    verdict(context, `W4A8 ${label}: QAT vs PTQ`, qatLoss <= 0.01 && ptqLoss > qatLoss, `PTQ loss ${points(ptqLoss)}, QAT loss ${points(qatLoss)} (≤ 1, and below PTQ's)`);
  }
}

/** (d) Mixed precision: sensitivity on a validation subset, plan under a size budget, QDQ graph. */
async function mixedPrecisionExperiment(context: Context): Promise<void> {
  console.log('\n(d) mixed precision (8 / 4 / 2 bits per layer) under a budget of 1/7 of the float size');
  const validation = context.train.slice(context.train.length - 1000);
  const floatBytes = [...context.graph.initializers.values()].reduce((sum, data) => sum + data.data.byteLength, 0);
  const budgetBytes = Math.floor(floatBytes / 7);
  const result = await applyMixedPrecision(context.graph, { budgetBytes, bits: [8, 4, 2] }, { evaluate: (graph) => accuracy(graph, validation) });
  for (const layer of result.sensitivity.layers) {
    const drops = result.sensitivity.bits.map((bits) => `${bits}b ${points(layer.drop[bits] as number)}`).join(', ');
    console.log(`  ${layer.name.padEnd(20)} drop on validation: ${drops} → ${result.plan.bits[layer.name]} bits`);
  }
  const test = accuracy(result.graph, context.test);
  console.log(`  plan: ${result.totalBytes} B of ${budgetBytes} B budget (float ${floatBytes} B); QDQ test accuracy ${test.toFixed(4)}`);
  verdict(context, 'mixed precision within budget', result.totalBytes <= budgetBytes, `${result.totalBytes} B ≤ ${budgetBytes} B, test loss ${points(context.baseline - test)}`);
}

/** (e) Weight-only RTN of the Gemm weights into MatMulNBits (int8 and int4, groups of 32 along K). */
function weightOnlyExperiment(context: Context): void {
  console.log('\n(e) weight-only RTN of Gemm weights (MatMulNBits, groups of 32 along K)');
  for (const bits of [8, 4] as const) {
    const result = applyWeightOnly(context.graph, { bits, groupSize: 32 });
    const test = accuracy(result.graph, context.test);
    const ratio = result.fp32Bytes / result.storedBytes;
    console.log(`  int${bits}: ${result.layers.map((layer) => layer.name).join(', ')} ${result.fp32Bytes} B → ${result.storedBytes} B (${ratio.toFixed(2)}x); test accuracy ${test.toFixed(4)} (${points(context.baseline - test)} loss)`);
  }
}

async function main(): Promise<void> {
  const options = parseOptions();
  const split = await loadFashionMnist(options.data, { limit: options.limit });
  const test = options.testLimit ? split.test.slice(0, options.testLimit) : split.test;
  const model = await trainedModel(options, split.train, test);
  const graph = floatGraph(model);
  const baseline = accuracy(graph, test);
  console.log(`float model (BatchNorm folded): test accuracy ${baseline.toFixed(4)} on ${test.length} images`);
  const context: Context = { options, train: split.train, test, graph, baseline, verdicts: [] };
  if (options.parts.has('a')) await kmeansExperiment(context);
  if (options.parts.has('b')) await pruneKmeansExperiment(context);
  if (options.parts.has('c')) await w4a8Experiment(context);
  if (options.parts.has('d')) await mixedPrecisionExperiment(context);
  if (options.parts.has('e')) weightOnlyExperiment(context);
  console.log(`\n${context.verdicts.join('\n')}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
  process.exitCode = 1;
});
