// `efficientdl quantize <in.onnx> -o <out.onnx> --mode int8|w8|w4|kmeans4`: post-training
// quantization of an ONNX model, then a before/after table — file size, accuracy (with
// --test-images/--test-labels) and latency per backend (cpu and onnxruntime, batch 64) — and,
// with both backends and labels, how often cpu and onnxruntime agree on the quantized model.
//   int8     static int8 (QDQ, like onnxruntime's quantize_static) calibrated on --calib-images;
//            backend-cpu runs its integer lowering (QLinearConv), onnxruntime the QDQ file
//   w8 / w4  weight-only int8 / int4 Gemm/MatMul weights (MatMulNBits), --group-size per block
//   kmeans4  4-bit k-means weight sharing (codebook + indices)
import { writeFile } from 'node:fs/promises';
import { EfficientDLError, type Graph } from '@efficientdl/ir';
import { exportOnnx, importOnnx } from '@efficientdl/onnx';
import { OBSERVER_KINDS, type ObserverKind, applyKmeans, applyWeightOnly, int8Static, lowerToIntegerOps, quantize } from '@efficientdl/quantize';
import { type Command, Option } from 'commander';
import { createEngine } from '../backends.js';
import { type CommandContext, parseNumber, parsePositiveInteger, parsePositiveNumber } from '../cli-options.js';
import { type CliIo, printLine, printNote, readFileBytes } from '../io.js';
import { UsageError } from '../usage-error.js';
import { type LabeledImages, readLabeledImages } from '../labeled-images.js';
import { compareLatency, formatSummary, type SummaryRow } from './prune-measure.js';
import { type BackendMeasurement, accuracy, agreement, calibrationBatches, measurementRows, predictions, readIdxImages } from './quantize-measure.js';

const MODES = ['int8', 'w8', 'w4', 'kmeans4'] as const;
type Mode = (typeof MODES)[number];

export interface QuantizeCommandOptions {
  output: string;
  mode: Mode;
  calibImages?: string;
  calibCount: number;
  observer: ObserverKind;
  perChannel: boolean;
  groupSize: number;
  testImages?: string;
  testLabels?: string;
  testLimit?: number;
  scale: number;
  mean: number;
  std: number;
  latencyBatch: number;
  latencyRuns: number;
  backends: string;
}

export interface QuantizeCommandResult {
  bytes: [number, number];
  measurements: BackendMeasurement[];
  /** Share of test images where cpu and onnxruntime predict the same class (quantized model). */
  agreement?: number;
  warnings: readonly string[];
}

interface Quantized {
  /** What is written to the output file. */
  readonly graph: Graph;
  /** The form backend-cpu runs (the integer lowering for int8). */
  readonly forCpu: (exported: Graph) => Graph;
  readonly warnings: readonly string[];
}

async function quantizeGraph(io: CliIo, graph: Graph, options: QuantizeCommandOptions): Promise<Quantized> {
  switch (options.mode) {
    case 'int8': {
      if (!options.calibImages) throw new UsageError('--mode int8 needs --calib-images (unlabelled IDX images to calibrate activation ranges)');
      const images = await readIdxImages(options.calibImages, 'calibration images');
      const calibration = calibrationBatches(graph, images, { count: options.calibCount, batchSize: 64, normalization: options });
      const { graph: qdq, report } = await quantize(graph, int8Static({ calibration, observer: options.observer, perChannel: options.perChannel }));
      printNote(io, `calibrated ${report.activations.filter((activation) => activation.range).length} activations on ${report.calibration.samples} images (${report.observer} observer, ${options.perChannel ? 'per-channel' : 'per-tensor'} weights)`);
      return { graph: qdq, forCpu: lowerToIntegerOps, warnings: report.warnings };
    }
    case 'w8':
    case 'w4': {
      const result = applyWeightOnly(graph, { bits: options.mode === 'w8' ? 8 : 4, groupSize: options.groupSize });
      printNote(io, `weight-only ${options.mode}: ${result.layers.length} layer(s), weights ${result.fp32Bytes} → ${result.storedBytes} bytes`);
      return { graph: result.graph, forCpu: (exported) => exported, warnings: [] };
    }
    case 'kmeans4': {
      const result = await applyKmeans(graph, { bits: 4 });
      printNote(io, `k-means 4-bit: ${result.layers.length} layer(s) share 16 centroids each`);
      return { graph: result.model.toGraph(), forCpu: (exported) => exported, warnings: [] };
    }
  }
}

function backendNames(options: QuantizeCommandOptions): string[] {
  return options.backends.split(',').map((entry) => entry.trim()).filter(Boolean);
}

async function measureBackend(name: string, graphs: [Graph, Graph], test: LabeledImages | undefined, options: QuantizeCommandOptions, context: CommandContext): Promise<BackendMeasurement> {
  const engine = await createEngine(name, context.engineOptions);
  const [before, after] = await compareLatency({ engine, graphs, batch: options.latencyBatch, runs: options.latencyRuns });
  const latency: [number, number] = [before as number, after as number];
  if (!test) return { backend: name, latency };
  const predict = (graph: Graph) => predictions({ engine, graph, images: test.images, total: test.total, normalization: options, batchSize: options.latencyBatch });
  const [floatPredictions, quantizedPredictions] = [await predict(graphs[0]), await predict(graphs[1])];
  return { backend: name, latency, accuracy: [accuracy(floatPredictions, test.labels), accuracy(quantizedPredictions, test.labels)], predictions: quantizedPredictions };
}

async function measureAll(io: CliIo, graphs: { original: Graph; exported: Graph; forCpu: Graph }, test: LabeledImages | undefined, options: QuantizeCommandOptions, context: CommandContext): Promise<BackendMeasurement[]> {
  const measurements: BackendMeasurement[] = [];
  for (const name of backendNames(options)) {
    const pair: [Graph, Graph] = [graphs.original, name === 'cpu' ? graphs.forCpu : graphs.exported];
    try {
      measurements.push(await measureBackend(name, pair, test, options, context));
    } catch (error) {
      // a missing backend, or one without the op (e.g. ai.efficientdl MatMulNBits on onnxruntime)
      if (name === 'cpu' || !(error instanceof EfficientDLError || error instanceof Error)) throw error;
      printNote(io, `${name}: skipped (${error.message.split('\n')[0]})`);
    }
  }
  return measurements;
}

function crossAgreement(measurements: readonly BackendMeasurement[]): number | undefined {
  const cpu = measurements.find((measurement) => measurement.backend === 'cpu')?.predictions;
  const onnxruntime = measurements.find((measurement) => measurement.backend === 'onnxruntime')?.predictions;
  return cpu && onnxruntime ? agreement(cpu, onnxruntime) : undefined;
}

async function readTestSet(options: QuantizeCommandOptions): Promise<LabeledImages | undefined> {
  if (!options.testImages && !options.testLabels) return undefined;
  if (!options.testImages || !options.testLabels) throw new UsageError('--test-images and --test-labels go together');
  return readLabeledImages({ images: options.testImages, labels: options.testLabels, limit: options.testLimit });
}

export async function runQuantize(io: CliIo, file: string, options: QuantizeCommandOptions, context: CommandContext): Promise<QuantizeCommandResult> {
  const bytes = await readFileBytes(file, 'model');
  const original = importOnnx(bytes, { file });
  const test = await readTestSet(options);
  const quantized = await quantizeGraph(io, original, options);
  for (const warning of quantized.warnings) printNote(io, `warning: ${warning}`);
  const outputBytes = exportOnnx(quantized.graph);
  await writeFile(options.output, outputBytes);
  // measure the file as written
  const exported = importOnnx(outputBytes, { file: options.output });
  const measurements = await measureAll(io, { original, exported, forCpu: quantized.forCpu(exported) }, test, options, context);
  const result: QuantizeCommandResult = { bytes: [bytes.length, outputBytes.length], measurements, agreement: crossAgreement(measurements), warnings: quantized.warnings };
  const rows: SummaryRow[] = [
    { label: 'file bytes', before: bytes.length, after: outputBytes.length, format: (value) => value.toLocaleString('en-US'), change: (before, after) => `${(before / after).toFixed(2)}x smaller` },
    ...measurementRows(measurements, options.latencyBatch),
  ];
  printLine(io, formatSummary(rows));
  if (result.agreement !== undefined) printLine(io, `cpu / onnxruntime prediction agreement (${options.mode}): ${(100 * result.agreement).toFixed(2)}%`);
  printLine(io, `wrote ${options.output} (${outputBytes.length} bytes)`);
  return result;
}

export function registerQuantize(program: Command, context: CommandContext): void {
  program
    .command('quantize')
    .description('post-training quantization of an ONNX model (int8 static QDQ, weight-only int8/int4, k-means 4-bit) with a before/after comparison')
    .argument('<model>', 'ONNX model file (float32)')
    .requiredOption('-o, --output <file>', 'where to write the quantized ONNX model')
    .addOption(new Option('--mode <mode>', 'quantization scheme').choices(MODES).default('int8'))
    .option('--calib-images <file>', 'IDX images (optionally .gz) to calibrate int8 activation ranges')
    .option('--calib-count <count>', 'calibrate on the first <count> images', parsePositiveInteger, 512)
    .addOption(new Option('--observer <kind>', 'activation range observer').choices(OBSERVER_KINDS).default('minmax'))
    .option('--per-channel', 'one weight scale per output channel (default)', true)
    .option('--no-per-channel', 'one weight scale per tensor')
    .option('--group-size <count>', 'weights per scale block for --mode w8/w4', parsePositiveInteger, 32)
    .option('--test-images <file>', 'IDX images to measure accuracy before and after')
    .option('--test-labels <file>', 'IDX labels of --test-images')
    .option('--test-limit <count>', 'evaluate only the first <count> test images', parsePositiveInteger)
    .option('--scale <number>', 'pixel multiplier before normalization', parseNumber, 1 / 255)
    .option('--mean <number>', 'subtracted after scaling', parseNumber, 0)
    .option('--std <number>', 'divides after subtracting the mean', parsePositiveNumber, 1)
    .option('--latency-batch <count>', 'batch size of the latency measurement (and of evaluation)', parsePositiveInteger, 64)
    .option('--latency-runs <count>', 'timed runs per model and backend (median reported)', parsePositiveInteger, 7)
    .option('--backends <list>', 'comma-separated backends to measure (unavailable ones are skipped)', 'cpu,onnxruntime')
    .action(async (file: string, options: QuantizeCommandOptions) => {
      await runQuantize(context.io, file, options, context);
      context.exitCode = 0;
    });
}
