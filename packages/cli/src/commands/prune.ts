// `efficientdl prune <in.onnx> -o <out.onnx> --ratio 0.5 [--granularity channel]`: structured
// channel pruning through @efficientdl/prune's dependency graph (physical removal; other
// granularities such as element or 2:4 zero weights through pruneSparse), optional
// fine-tuning (cross-entropy, Adam) on an IDX image set, ONNX export, and a before/after table:
// parameters, MACs, file size, median latency per backend at one batch size, accuracy when a
// test set is given. The last stdout line is `wrote <out.onnx> (<bytes> bytes)`.
import { writeFile } from 'node:fs/promises';
import { ConfigError, type Graph } from '@efficientdl/ir';
import { Adam, CosineAnnealingLR, DataLoader, GraphModule, type Module, crossEntropy, fit } from '@efficientdl/nn';
import { exportOnnx, importOnnx } from '@efficientdl/onnx';
import {
  type Importance,
  type SparsityConfig,
  type SparsityMasks,
  bnScale,
  formatPruneReport,
  formatSparsityReport,
  graphCost,
  magnitude,
  prune,
  random,
  recalibrateBatchNorm,
  taylor,
  trainableParameters,
  withBatchNormMode,
} from '@efficientdl/prune';
import type { Tensor } from '@efficientdl/tensor';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { createEngine } from '../backends.js';
import { type CommandContext, collect, parseNumber, parsePositiveInteger, parsePositiveNumber } from '../cli-options.js';
import type { Normalization } from '../image-batches.js';
import { type CliIo, printLine, printNote, readFileBytes } from '../io.js';
import { UsageError } from '../usage-error.js';
import { type LabeledImages, accuracyOf, readLabeledImages, toDataset } from '../labeled-images.js';
import { type Latency, type SummaryRow, compareLatencyStats, formatSummary } from './prune-measure.js';

const IMPORTANCES = ['l1', 'l2', 'taylor', 'bn', 'random'] as const;

export interface PruneCommandOptions extends Normalization {
  output: string;
  ratio: number;
  granularity: string;
  importance: (typeof IMPORTANCES)[number];
  scope: 'uniform' | 'global';
  roundTo: number;
  ignore: string[];
  finetuneImages?: string;
  finetuneLabels?: string;
  finetuneLimit?: number;
  epochs?: number;
  lr: number;
  batchSize: number;
  testImages?: string;
  testLabels?: string;
  testLimit?: number;
  latencyBatch: number;
  latencyRuns: number;
  backends: string;
  opset: number;
  seed: number;
}

export interface PruneCommandResult {
  params: [number, number];
  macs: [number, number];
  bytes: [number, number];
  /** Median and minimum ms per batch, before and after, per backend that ran. */
  latency: Record<string, [Latency, Latency]>;
  accuracy?: [number, number];
}

async function readPair(images: string | undefined, labels: string | undefined, limit: number | undefined, what: string): Promise<LabeledImages | undefined> {
  if (!images && !labels) return undefined;
  if (!images || !labels) throw new UsageError(`--${what}-images and --${what}-labels go together`);
  return readLabeledImages({ images, labels, limit });
}

function taylorBatches(graph: Graph, set: LabeledImages | undefined, options: PruneCommandOptions) {
  if (!set) throw new UsageError('--importance taylor needs --finetune-images/--finetune-labels (its gradients come from 4 batches of them)');
  const dataset = toDataset(graph, { ...set, total: Math.min(set.total, 4 * options.batchSize) }, options);
  return [...new DataLoader(dataset, { batchSize: options.batchSize })].map(([inputs, targets]) => ({ inputs: [inputs as Tensor], targets: targets as Tensor }));
}

function importanceFor(graph: Graph, finetune: LabeledImages | undefined, options: PruneCommandOptions): Importance {
  switch (options.importance) {
    case 'l1':
      return magnitude({ p: 1 });
    case 'l2':
      return magnitude({ p: 2 });
    case 'bn':
      return bnScale();
    case 'random':
      return random({ seed: options.seed });
    case 'taylor':
      return taylor({ batches: taylorBatches(graph, finetune, options) });
  }
}

function calibrationBatches(model: GraphModule, set: LabeledImages, options: PruneCommandOptions): Tensor[][] {
  const calibration = toDataset(model.graph, { ...set, total: Math.min(set.total, 20 * options.batchSize) }, options);
  return [...new DataLoader(calibration, { batchSize: options.batchSize })].map(([inputs]) => [inputs as Tensor]);
}

/**
 * Adaptive BN on 20 training batches (pruning shifts the statistics BNs see), fine-tuning with
 * BatchNorm on batch statistics (Adam, cosine-annealed to 5% of --lr; sparsity masks kept),
 * then BN statistics re-estimated once more. Returns the fine-tuned eval-mode model.
 */
async function finetune(io: CliIo, model: GraphModule, set: LabeledImages, options: PruneCommandOptions, masks?: SparsityMasks): Promise<GraphModule> {
  const epochs = options.epochs ?? 1;
  const batches = calibrationBatches(model, set, options);
  const recalibrated = recalibrateBatchNorm(model, { batches });
  if (recalibrated > 0) printNote(io, `recalibrated ${recalibrated} BatchNormalization(s) on ${batches.length} batches`);
  printNote(io, `fine-tuning ${epochs} epoch(s) on ${set.total} images (Adam, lr ${options.lr} cosine, batch ${options.batchSize})`);
  const training = withBatchNormMode(model, 'train');
  const optimizer = new Adam(trainableParameters(training), { lr: options.lr });
  masks?.attach(optimizer, training);
  const trainLoader = new DataLoader(toDataset(model.graph, set, options), { batchSize: options.batchSize, shuffle: true, seed: options.seed });
  await fit({
    model: training as unknown as Module,
    optimizer,
    scheduler: new CosineAnnealingLR(optimizer, { tMax: Math.max(1, trainLoader.length * epochs), etaMin: options.lr * 0.05, interval: 'step' }),
    loss: (logits, targets) => crossEntropy(logits, targets),
    trainLoader,
    epochs,
    progress: io.progressStream ? 'bar' : 'none',
    progressStream: io.progressStream,
    epochSummary: false,
    onEpochEnd: (record) => printNote(io, `epoch ${record.epoch}/${epochs}: loss ${record.loss.toFixed(4)}, ${record.seconds.toFixed(1)} s`),
  });
  const tuned = withBatchNormMode(training, 'eval');
  recalibrateBatchNorm(tuned, { batches });
  return tuned;
}

async function measureLatency(io: CliIo, graphs: [Graph, Graph], options: PruneCommandOptions, context: CommandContext): Promise<Record<string, [Latency, Latency]>> {
  const latency: Record<string, [Latency, Latency]> = {};
  for (const name of options.backends.split(',').map((entry) => entry.trim()).filter(Boolean)) {
    let engine: Awaited<ReturnType<typeof createEngine>>;
    try {
      engine = await createEngine(name, context.engineOptions);
    } catch (error) {
      if (!(error instanceof ConfigError) || name === 'cpu') throw error;
      printNote(io, `latency on ${name}: skipped (${error.message})`);
      continue;
    }
    const [before, after] = await compareLatencyStats({ engine, graphs, batch: options.latencyBatch, runs: options.latencyRuns });
    latency[name] = [before as Latency, after as Latency];
  }
  return latency;
}

function summaryRows(result: PruneCommandResult, options: PruneCommandOptions): SummaryRow[] {
  const count = (value: number) => value.toLocaleString('en-US');
  const speedup = (before: number, after: number) => `speedup ${(before / after).toFixed(2)}x`;
  const milliseconds = (value: number) => `${value.toFixed(2)} ms`;
  const rows: SummaryRow[] = [
    { label: 'params', before: result.params[0], after: result.params[1], format: count },
    { label: 'MACs (per image)', before: result.macs[0], after: result.macs[1], format: count },
    { label: 'file bytes', before: result.bytes[0], after: result.bytes[1], format: count },
  ];
  for (const [name, [before, after]] of Object.entries(result.latency)) {
    rows.push({ label: `latency ${name} (batch ${options.latencyBatch}, median)`, before: before.median, after: after.median, format: milliseconds, change: speedup });
    rows.push({ label: `latency ${name} (batch ${options.latencyBatch}, min)`, before: before.min, after: after.min, format: milliseconds, change: speedup });
  }
  if (result.accuracy) {
    const points = (before: number, after: number) => `${after >= before ? '+' : ''}${((after - before) * 100).toFixed(2)} pt`;
    rows.push({ label: 'accuracy', before: result.accuracy[0], after: result.accuracy[1], format: (value) => value.toFixed(4), change: points });
  }
  return rows;
}

/** Channel pruning (a new, smaller model) or sparsity (weights zeroed in place, masks returned). */
function pruneModel(io: CliIo, original: Graph, importance: Importance, options: PruneCommandOptions): { model: GraphModule; masks?: SparsityMasks } {
  const common = { importance, scope: options.scope, ignore: options.ignore };
  if (options.granularity === 'channel') {
    const { model, report } = prune(GraphModule.fromGraph(original), { ...common, ratio: options.ratio, roundTo: options.roundTo });
    printLine(io, formatPruneReport(report));
    return { model };
  }
  const model = GraphModule.fromGraph(original);
  const nm = /^\d+:\d+$/.test(options.granularity);
  const masks = prune(model, { ...common, granularity: options.granularity as SparsityConfig['granularity'], ...(nm ? {} : { ratio: options.ratio }) });
  printLine(io, formatSparsityReport(masks.report));
  printNote(io, 'note: zeroed weights do not make dense kernels faster; channel pruning does');
  return { model, masks };
}

export async function runPrune(io: CliIo, file: string, options: PruneCommandOptions, context: CommandContext): Promise<PruneCommandResult> {
  if (options.opset !== 17 && options.opset !== 21) throw new UsageError(`--opset must be 17 or 21, got ${options.opset}`);
  const bytes = await readFileBytes(file, 'model');
  const original = importOnnx(bytes, { file });
  const finetuneSet = await readPair(options.finetuneImages, options.finetuneLabels, options.finetuneLimit, 'finetune');
  const testSet = await readPair(options.testImages, options.testLabels, options.testLimit, 'test');
  if (options.epochs !== undefined && !finetuneSet) throw new UsageError('--epochs needs --finetune-images and --finetune-labels');
  const pruned = pruneModel(io, original, importanceFor(original, finetuneSet, options), options);
  const model = finetuneSet ? await finetune(io, pruned.model, finetuneSet, options, pruned.masks) : pruned.model;
  const outputBytes = exportOnnx(model.toGraph(), { opset: options.opset as 17 | 21 });
  await writeFile(options.output, outputBytes);
  const exported = importOnnx(outputBytes, { file: options.output });
  const [before, after] = [graphCost(original), graphCost(exported)];
  const result: PruneCommandResult = {
    params: [before.params, after.params],
    macs: [before.macs, after.macs],
    bytes: [bytes.length, outputBytes.length],
    latency: await measureLatency(io, [original, exported], options, context),
  };
  if (testSet) {
    const engine = await createEngine('cpu', context.engineOptions);
    const score = (graph: Graph) => accuracyOf({ engine, graph, set: testSet, normalization: options, batchSize: options.latencyBatch });
    result.accuracy = [await score(original), await score(exported)];
  }
  printLine(io, formatSummary(summaryRows(result, options)));
  printLine(io, `wrote ${options.output} (${outputBytes.length} bytes)`);
  return result;
}

function parseNonNegativeInteger(text: string): number {
  const value = parseNumber(text);
  if (!Number.isInteger(value) || value < 0) throw new InvalidArgumentError(`'${text}' is not a non-negative integer.`);
  return value;
}

export function registerPrune(program: Command, context: CommandContext): void {
  program
    .command('prune')
    .description('prune an ONNX model (channels physically, or sparsity masks), optionally fine-tune, export, and compare before/after')
    .argument('<model>', 'ONNX model file')
    .requiredOption('-o, --output <file>', 'where to write the pruned ONNX model')
    .requiredOption('--ratio <fraction>', 'fraction of channels to remove per layer group, in [0, 1)', parseNumber)
    .addOption(new Option('--granularity <kind>', "'channel' (structured); sparsity kinds such as 'element' or '2:4'").default('channel'))
    .addOption(new Option('--importance <kind>', 'channel importance').choices(IMPORTANCES).default('l2'))
    .addOption(new Option('--scope <scope>', 'same ratio per group, or one global ranking').choices(['uniform', 'global']).default('uniform'))
    .option('--round-to <count>', 'keep a multiple of <count> channels per group (8 suits SIMD kernels and onnxruntime)', parsePositiveInteger, 1)
    .option('--ignore <layer>', 'leave this layer (name, node or weight name) unpruned; repeatable', collect, [])
    .option('--finetune-images <file>', 'IDX images to fine-tune on after pruning')
    .option('--finetune-labels <file>', 'IDX labels of --finetune-images')
    .option('--finetune-limit <count>', 'fine-tune on the first <count> images only', parsePositiveInteger)
    .option('--epochs <count>', 'fine-tuning epochs (default 1)', parsePositiveInteger)
    .option('--lr <number>', 'Adam learning rate of fine-tuning', parsePositiveNumber, 1e-3)
    .option('--batch-size <count>', 'fine-tuning batch size', parsePositiveInteger, 64)
    .option('--test-images <file>', 'IDX images to measure accuracy before and after')
    .option('--test-labels <file>', 'IDX labels of --test-images')
    .option('--test-limit <count>', 'evaluate only the first <count> test images', parsePositiveInteger)
    .option('--scale <number>', 'pixel multiplier before normalization', parseNumber, 1 / 255)
    .option('--mean <number>', 'subtracted after scaling', parseNumber, 0)
    .option('--std <number>', 'divides after subtracting the mean', parsePositiveNumber, 1)
    .option('--latency-batch <count>', 'batch size of the latency measurement (and of evaluation)', parsePositiveInteger, 64)
    .option('--latency-runs <count>', 'timed runs per model and backend (median reported)', parsePositiveInteger, 7)
    .option('--backends <list>', 'comma-separated backends to time (unavailable ones are skipped)', 'cpu,onnxruntime')
    .option('--opset <version>', 'ONNX opset of the written model (17 or 21)', parsePositiveInteger, 17)
    .option('--seed <number>', 'seed of shuffling and random importance', parseNonNegativeInteger, 0)
    .action(async (file: string, options: PruneCommandOptions) => {
      await runPrune(context.io, file, options, context);
      context.exitCode = 0;
    });
}
