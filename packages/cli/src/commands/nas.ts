// `efficientdl nas search --data <fashion-mnist dir> --max-activation 64KB --max-weights 256KB
// [--max-latency ms] -o subnet.onnx`: once-for-all NAS through @efficientdl/nas's runNasPipeline
// (progressive-shrinking supernet, latency table measured on backend-cpu, accuracy predictor,
// evolutionary vs random search with equal evaluations, hand-designed baseline), then writes the
// chosen fine-tuned subnet as ONNX (input `pixels` in [0, 1], normalization inside), a Pareto SVG
// and optionally a JSON report. Budgets are int8 bytes from the IR cost model (1 KB = 1024 B).
import { writeFile } from 'node:fs/promises';
import { createCpuBackend } from '@efficientdl/backend-cpu';
import { ConfigError } from '@efficientdl/ir';
import {
  type Constraints,
  FASHION_MNIST_SPACE,
  type LatencyCheck,
  LatencyTable,
  SubnetCostModel,
  checkLatencyPredictor,
  type Finalist,
  type NasPipelineResult,
  type SearchSpace,
  engineLatency,
  formatKilobytes,
  renderParetoSvg,
  runNasPipeline,
  subnetGraph,
  validateSearchSpace,
} from '@efficientdl/nas';
import { type StateDict, type TensorDataset, loadIdxImageDataset } from '@efficientdl/nn';
import { exportOnnx } from '@efficientdl/onnx';
import { getBackend, readSafetensors, setBackend, writeSafetensors } from '@efficientdl/tensor';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { type CommandContext, parsePositiveInteger, parsePositiveNumber } from '../cli-options.js';
import { type CliIo, printLine, printNote, readFileBytes } from '../io.js';
import { type Progress, startProgress } from '../progress.js';

export interface NasSearchOptions {
  data: string;
  output: string;
  maxActivation?: number;
  maxWeights?: number;
  maxLatency?: number;
  supernetEpochs: number;
  supernetImages: number;
  finetuneEpochs: number;
  finetuneBaselines: 'all' | 'hand-designed' | 'none';
  population: number;
  generations: number;
  predictorSamples: number;
  rerank: number;
  validationImages: number;
  latencyCheck: number;
  batchSize: number;
  seed: number;
  trainLimit?: number;
  plot?: string;
  report?: string;
  supernet?: string;
  space?: string;
}

/** A SearchSpace from `--space <file.json>` (default: FASHION_MNIST_SPACE). */
async function readSpace(path: string | undefined): Promise<SearchSpace> {
  if (!path) return FASHION_MNIST_SPACE;
  const text = new TextDecoder().decode(await readFileBytes(path, 'search space'));
  let space: SearchSpace;
  try {
    space = JSON.parse(text) as SearchSpace;
  } catch (error) {
    throw new ConfigError(`search space '${path}' is not valid JSON (${(error as Error).message})`, { file: path });
  }
  validateSearchSpace(space);
  return space;
}

/** The saved supernet state when `--supernet <file>` exists (its training is then skipped). */
async function readSupernetState(io: CliIo, path: string | undefined): Promise<StateDict | undefined> {
  if (!path) return undefined;
  const { access } = await import('node:fs/promises');
  try {
    await access(path);
  } catch {
    return undefined;
  }
  printNote(io, `loading the trained supernet from ${path}`);
  return (await readSafetensors(path)).tensors;
}

const UNITS: Record<string, number> = { '': 1, b: 1, kb: 1024, kib: 1024, k: 1024, mb: 1024 ** 2, mib: 1024 ** 2, m: 1024 ** 2 };

/** '64KB', '256 KiB', '1.5MB', '4096' → bytes (1 KB = 1024 bytes). */
export function parseByteSize(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(text);
  const unit = UNITS[(match?.[2] ?? '').toLowerCase()];
  if (!match || unit === undefined) throw new InvalidArgumentError(`'${text}' is not a size such as 64KB, 256KiB, 1MB or 4096 (bytes).`);
  const bytes = Number(match[1]) * unit;
  if (!(bytes > 0)) throw new InvalidArgumentError(`'${text}' must be greater than 0.`);
  return bytes;
}

function parseNonNegativeInteger(text: string): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 0) throw new InvalidArgumentError(`'${text}' is not a non-negative integer.`);
  return value;
}

async function loadFashionMnist(directory: string, trainLimit?: number): Promise<{ train: TensorDataset; test: TensorDataset }> {
  const file = (name: string) => `${directory.replace(/\/$/, '')}/${name}`;
  try {
    const [train, test] = await Promise.all([
      loadIdxImageDataset({ images: file('train-images-idx3-ubyte.gz'), labels: file('train-labels-idx1-ubyte.gz') }, { limit: trainLimit }),
      loadIdxImageDataset({ images: file('t10k-images-idx3-ubyte.gz'), labels: file('t10k-labels-idx1-ubyte.gz') }),
    ]);
    return { train, test };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    throw new ConfigError(`--data '${directory}' must hold train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz (${(error as Error).message})`, {
      file: directory,
    });
  }
}

/** A bar per stage on a terminal; otherwise a stderr line every 10% so that logs show progress. */
function stageProgress(io: CliIo): { update: (stage: string, done: number, total: number) => void; stop: () => void } {
  let current: { stage: string; bar: Progress; done: number; total: number; started: number } | undefined;
  const stop = () => {
    current?.bar.stop();
    current = undefined;
  };
  const update = (stage: string, done: number, total: number) => {
    if (current?.stage !== stage) {
      stop();
      current = { stage, bar: startProgress(io, { label: stage, total }), done: 0, total, started: performance.now() };
    }
    current.bar.increment(done - current.done);
    const step = Math.max(1, Math.round(total / 10));
    if (!io.progressStream && (Math.floor(done / step) > Math.floor(current.done / step) || done === total)) {
      printNote(io, `  ${stage}: ${done}/${total} (${((performance.now() - current.started) / 1000).toFixed(0)} s)`);
    }
    current.done = done;
    if (done >= total) stop();
  };
  return { update, stop };
}

function constraintsOf(options: NasSearchOptions): Constraints {
  return { maxPeakActivationBytes: options.maxActivation, maxWeightBytes: options.maxWeights, maxLatencyMs: options.maxLatency };
}

function describeConstraints(constraints: Constraints): string {
  const parts = [
    constraints.maxPeakActivationBytes !== undefined ? `int8 peak activation ≤ ${formatKilobytes(constraints.maxPeakActivationBytes)}` : undefined,
    constraints.maxWeightBytes !== undefined ? `int8 weights ≤ ${formatKilobytes(constraints.maxWeightBytes)}` : undefined,
    constraints.maxLatencyMs !== undefined ? `latency ≤ ${constraints.maxLatencyMs} ms (backend cpu, batch 1)` : undefined,
  ].filter(Boolean);
  return parts.length > 0 ? parts.join(', ') : 'none';
}

const percent = (value: number | undefined) => (value === undefined ? '-' : `${(value * 100).toFixed(2)}%`);

function summaryTable(finalists: readonly Finalist[]): string[] {
  const header = ['', 'params', 'int8 weights', 'int8 peak act.', 'latency pred/meas', 'pred. acc', 'search acc', 'supernet acc', 'test acc'];
  const rows = finalists.map((entry) => [
    entry.role,
    entry.figures.params.toLocaleString('en-US'),
    formatKilobytes(entry.figures.weightBytes),
    formatKilobytes(entry.figures.peakActivationBytes),
    `${(entry.figures.latencyMs ?? 0).toFixed(2)}/${entry.measuredLatencyMs.toFixed(2)} ms`,
    percent(entry.predictedAccuracy),
    percent(entry.searchAccuracy),
    percent(entry.supernetAccuracy),
    percent(entry.testAccuracy),
  ]);
  const widths = header.map((cell, column) => Math.max(cell.length, ...rows.map((row) => (row[column] as string).length)));
  const format = (row: string[]) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column] as number) : cell.padStart(widths[column] as number))).join('  ');
  return [format(header), ...rows.map(format), ...finalists.map((entry) => `  ${entry.role}: ${entry.key}`)];
}

function paretoSvg(result: NasPipelineResult): string {
  const panelPoints = (candidates: NasPipelineResult['evolution']['evaluated']) => [
    candidates.map((candidate) => ({ x: candidate.figures.latencyMs ?? 0, y: candidate.accuracy })),
    candidates.map((candidate) => ({ x: candidate.figures.peakActivationBytes / 1024, y: candidate.accuracy })),
  ];
  const peakLimit = result.constraints.maxPeakActivationBytes;
  const colors: Record<Finalist['role'], string> = { evolution: '#d62728', random: '#1f77b4', 'hand-designed': '#2ca02c' };
  return renderParetoSvg({
    title: `NAS under ${describeConstraints(result.constraints)}: predicted accuracy vs cost`,
    yLabel: 'predicted accuracy',
    panels: [
      { xLabel: 'predicted latency, backend cpu, batch 1 (ms)', limit: result.constraints.maxLatencyMs },
      { xLabel: 'int8 peak activation (KB)', limit: peakLimit === undefined ? undefined : peakLimit / 1024 },
    ],
    series: [
      { label: `evolution (${result.evolution.evaluations})`, color: '#ff9896', points: panelPoints(result.evolution.evaluated) },
      { label: `random (${result.random.evaluations})`, color: '#aec7e8', points: panelPoints(result.random.evaluated) },
    ],
    highlights: result.finalists.map((entry) => ({
      label: entry.role,
      color: colors[entry.role],
      points: [
        { x: entry.figures.latencyMs ?? 0, y: entry.predictedAccuracy },
        { x: entry.figures.peakActivationBytes / 1024, y: entry.predictedAccuracy },
      ],
    })),
  });
}

function reportJson(result: NasPipelineResult): Record<string, unknown> {
  const finalist = ({ module: _module, ...entry }: Finalist) => entry;
  return {
    kind: 'nas-search-report',
    space: result.space,
    constraints: result.constraints,
    latency: result.latency,
    supernetPhases: result.supernetPhases,
    predictor: { heldOut: result.predictor.heldOut, samples: result.predictor.samples.map((sample) => ({ config: sample.config, accuracy: sample.accuracy })) },
    evolution: { evaluations: result.evolution.evaluations, bestByRound: result.evolution.bestByRound, best: result.evolution.best },
    random: { evaluations: result.random.evaluations, bestByRound: result.random.bestByRound, best: result.random.best },
    reranked: result.reranked,
    finalists: result.finalists.map(finalist),
  };
}

export async function runNasSearch(io: CliIo, options: NasSearchOptions): Promise<NasPipelineResult> {
  const constraints = constraintsOf(options);
  const space = await readSpace(options.space);
  const { train, test } = await loadFashionMnist(options.data, options.trainLimit);
  const previous = getBackend();
  setBackend(createCpuBackend());
  printNote(io, 'backend: cpu (training, and latency measured at batch 1)');
  printLine(io, `constraints: ${describeConstraints(constraints)}; ${train.length} training images, ${test.length} test images`);
  const progress = stageProgress(io);
  let result: NasPipelineResult;
  try {
    const supernetState = await readSupernetState(io, options.supernet);
    result = await runNasPipeline({
      space,
      train,
      test,
      constraints,
      measureLatency: engineLatency({ batch: 1 }),
      seed: options.seed,
      batchSize: options.batchSize,
      supernetImages: options.supernetImages,
      supernetEpochs: options.supernetEpochs,
      validationImages: options.validationImages,
      predictorSamples: options.predictorSamples,
      rerank: options.rerank,
      population: options.population,
      generations: options.generations,
      latencyCheckSubnets: options.latencyCheck,
      finetuneEpochs: options.finetuneEpochs,
      finetuneBaselines: options.finetuneBaselines,
      supernetState,
      onSupernetTrained: async (supernet) => {
        if (!options.supernet || supernetState) return;
        await writeSafetensors(options.supernet, supernet.stateDict(), { kind: 'nas-supernet', space: JSON.stringify(supernet.space) });
        printNote(io, `saved the trained supernet to ${options.supernet}`);
      },
      log: (line) => {
        progress.stop();
        printLine(io, line);
      },
      progress: progress.update,
    });
  } finally {
    progress.stop();
    setBackend(previous);
  }
  const chosen = result.finalists[0] as Finalist;
  if (!chosen.module) throw new ConfigError('nas search: the chosen subnet was not extracted');
  const graph = subnetGraph(chosen.module, { space: result.space, name: 'nas_subnet' });
  await writeFile(options.output, exportOnnx(graph, { producerName: 'efficientdl nas' }));
  const plot = options.plot ?? options.output.replace(/\.onnx$/i, '') + '.pareto.svg';
  await writeFile(plot, paretoSvg(result));
  if (options.report) await writeFile(options.report, `${JSON.stringify(reportJson(result), null, 2)}\n`);
  printLine(io, '');
  for (const line of summaryTable(result.finalists)) printLine(io, line);
  printLine(io, `latency predictor MAPE: ${(result.latency.mape * 100).toFixed(1)}% on ${result.latency.pairs.length} random subnets (backend cpu, batch 1)`);
  const { inChannels, inputSize } = result.space;
  printLine(io, `wrote ${options.output} (input 'pixels' (N, ${inChannels}, ${inputSize}, ${inputSize}) in [0, 1], output 'logits'), ${plot}${options.report ? `, ${options.report}` : ''}`);
  return result;
}

export interface NasLatencyOptions {
  subnets: number;
  runs: number;
  seed: number;
  space?: string;
}

/** Builds a latency table on backend-cpu and checks it against whole-graph measurements of random subnets. */
export async function runNasLatency(io: CliIo, options: NasLatencyOptions): Promise<LatencyCheck> {
  const space = await readSpace(options.space);
  const previous = getBackend();
  setBackend(createCpuBackend());
  const progress = stageProgress(io);
  let check: LatencyCheck;
  try {
    const measure = engineLatency({ batch: 1, runs: options.runs });
    const table = new LatencyTable({ measure });
    const costs = new SubnetCostModel(space);
    check = checkLatencyPredictor({ space, table, costs, measure, subnets: options.subnets, seed: options.seed, onProgress: (done, total) => progress.update('latency check', done, total) });
  } finally {
    progress.stop();
    setBackend(previous);
  }
  for (const pair of check.pairs) {
    const error = ((pair.predicted - pair.measured) / pair.measured) * 100;
    printLine(io, `${pair.key}: predicted ${pair.predicted.toFixed(3)} ms, measured ${pair.measured.toFixed(3)} ms (${error >= 0 ? '+' : ''}${error.toFixed(1)}%)`);
  }
  printLine(io, `latency table: ${check.tableEntries} op configurations, scale ${check.scale.toFixed(3)} (fitted on ${check.calibrationSubnets} other subnets)`);
  printLine(io, `latency predictor MAPE: ${(check.mape * 100).toFixed(1)}% on ${check.pairs.length} random subnets (backend cpu, batch 1)`);
  return check;
}

export function registerNas(program: Command, context: CommandContext): void {
  const nas = program.command('nas').description('neural architecture search (once-for-all supernet, evolutionary search under int8 budgets)');
  nas
    .command('search')
    .description('train an elastic MobileNet supernet on Fashion-MNIST and search a subnet within int8 memory/latency budgets')
    .requiredOption('--data <dir>', 'folder with the Fashion-MNIST train/t10k IDX .gz files')
    .requiredOption('-o, --output <file>', 'ONNX file for the chosen, fine-tuned subnet')
    .option('--max-activation <size>', 'int8 peak activation budget (cost model, batch 1), e.g. 64KB', parseByteSize)
    .option('--max-weights <size>', 'int8 weight budget, e.g. 256KB', parseByteSize)
    .option('--max-latency <ms>', 'predicted latency budget on backend cpu at batch 1', parsePositiveNumber)
    .option('--supernet-epochs <n>', 'epochs per progressive-shrinking phase over the supernet subset', parsePositiveNumber, 1)
    .option('--supernet-images <n>', 'training images used for the supernet', parsePositiveInteger, 10000)
    .option('--finetune-epochs <n>', 'fine-tuning epochs of the chosen subnet on the training set (0: none)', parseNonNegativeInteger, 3)
    .addOption(
      new Option('--finetune-baselines <which>', 'baselines fine-tuned like the chosen subnet (the others are compared with supernet weights)')
        .choices(['all', 'hand-designed', 'none'])
        .default('all'),
    )
    .option('--population <n>', 'evolution population', parsePositiveInteger, 32)
    .option('--generations <n>', 'evolution generations', parsePositiveInteger, 10)
    .option('--predictor-samples <n>', 'feasible subnets measured to train the accuracy predictor', parsePositiveInteger, 100)
    .option('--rerank <k>', "re-measure each search's top-k candidates and keep the best measured (0: off)", parseNonNegativeInteger, 8)
    .option('--validation-images <n>', 'training images held out: half guides the search, half reports accuracies', parsePositiveInteger, 5000)
    .option('--latency-check <n>', 'random subnets on which the latency predictor is checked', parsePositiveInteger, 20)
    .option('--batch-size <n>', 'training batch size', parsePositiveInteger, 64)
    .option('--train-limit <n>', 'use only the first <n> training images', parsePositiveInteger)
    .option('--seed <n>', 'random seed', parseNonNegativeInteger, 0)
    .option('--plot <file>', 'Pareto plot SVG (default: <output>.pareto.svg)')
    .option('--report <file>', 'JSON report of the whole run')
    .option('--space <file>', 'search space JSON (kind mobilenet-search-space; default: the built-in Fashion-MNIST space)')
    .option('--supernet <file>', 'safetensors file of the trained supernet: loaded when it exists (training skipped), else written after training')
    .action(async (options: NasSearchOptions) => {
      await runNasSearch(context.io, options);
      context.exitCode = 0;
    });
  nas
    .command('latency')
    .description('check the per-op latency table against whole-graph timings of random subnets on backend cpu (batch 1)')
    .option('--subnets <n>', 'random subnets compared', parsePositiveInteger, 20)
    .option('--runs <n>', 'timed runs per measurement (the minimum is kept)', parsePositiveInteger, 100)
    .option('--seed <n>', 'random seed', parseNonNegativeInteger, 0)
    .option('--space <file>', 'search space JSON (default: the built-in Fashion-MNIST space)')
    .action(async (options: NasLatencyOptions) => {
      await runNasLatency(context.io, options);
      context.exitCode = 0;
    });
}
