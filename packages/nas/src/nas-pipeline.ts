// The whole once-for-all NAS flow for an image classification set, as one function the CLI (and
// apps) call: check the budget is reachable, validate the latency table against whole-graph
// measurements, train the supernet by progressive shrinking, fit the accuracy predictor on
// measured subnets, run evolutionary and random search with the same number of evaluations, pick
// a hand-designed baseline in the same budget, then measure and fine-tune the finalists.
import { ConfigError } from '@efficientdl/ir';
import { DataLoader, type StateDict, type TensorDataset } from '@efficientdl/nn';
import { Generator } from '@efficientdl/tensor';
import { type AccuracyPredictor, type AccuracySample, type PredictorQuality, fitAccuracyPredictor } from './accuracy-predictor.js';
import { type Constraints, checkFeasible, satisfies } from './constraints.js';
import { fineTune } from './fine-tune.js';
import { handDesignedSubnet } from './hand-designed.js';
import { type LatencyCheck, checkLatencyPredictor } from './latency-check.js';
import { LatencyTable, type MeasureLatency } from './latency-table.js';
import type { MobileNetSubnet } from './mobilenet-subnet.js';
import { type PhaseRecord, progressiveShrinkingPhases, trainProgressiveShrinking } from './progressive-shrinking.js';
import { FASHION_MNIST_SPACE, type SearchSpace, type SubnetConfig, subnetKey } from './search-space.js';
import { type Candidate, type SearchProblem, type SearchResult, evolutionEvaluations, evolutionarySearch, randomSearch } from './search.js';
import { batchAccuracy, calibrateBatchNorm, measureSubnetAccuracy } from './subnet-accuracy.js';
import { SubnetCostModel, type SubnetFigures } from './subnet-graph.js';
import { sampleSubnet } from './subnet-sampling.js';
import { MobileNetSupernet } from './supernet.js';

export interface NasPipelineOptions {
  space?: SearchSpace;
  /** Training images (N, C, H, W) in [0, 1] with int64 labels; the last `validationImages` are held out. */
  train: TensorDataset;
  test: TensorDataset;
  constraints: Constraints;
  /** Times one run of a graph on the deployment backend (e.g. engineLatency() on backend-cpu). */
  measureLatency: MeasureLatency;
  seed?: number;
  batchSize?: number;
  /** Images of the supernet training subset (default 10000). */
  supernetImages?: number;
  /** Epochs per progressive-shrinking phase over that subset (default 1). */
  supernetEpochs?: number;
  /**
   * Held-out training images (default 5000): the first half guides the search (the predictor's
   * samples use its first `predictorImages`, default 1000; re-ranking uses all of it), the second
   * half reports the finalists' accuracies.
   */
  validationImages?: number;
  predictorImages?: number;
  /** Feasible subnets measured to train the accuracy predictor (default 100; 20% held out for its quality). */
  predictorSamples?: number;
  /** Each search's top-k distinct candidates (by predicted accuracy) are re-measured; the best measured wins (default 8, 0: off). */
  rerank?: number;
  population?: number;
  generations?: number;
  /** Random subnets on which the latency table is checked against whole-graph measurements (default 20). */
  latencyCheckSubnets?: number;
  finetuneEpochs?: number;
  finetuneLr?: number;
  /** Which baselines get the same fine-tuning as the chosen subnet (default 'all'). */
  finetuneBaselines?: 'all' | 'hand-designed' | 'none';
  /** A trained supernet's state (stateDict): progressive shrinking is skipped. */
  supernetState?: StateDict;
  /** Called once the supernet is trained (e.g. to save its stateDict). */
  onSupernetTrained?: (supernet: MobileNetSupernet) => void | Promise<void>;
  log?: (line: string) => void;
  /** Progress of a long stage: `done` of `total` units. */
  progress?: (stage: string, done: number, total: number) => void;
}

export interface Finalist {
  role: 'evolution' | 'random' | 'hand-designed';
  config: SubnetConfig;
  key: string;
  figures: SubnetFigures;
  /** Latency of the whole graph measured on the backend (ms). */
  measuredLatencyMs: number;
  predictedAccuracy: number;
  /** Accuracy with supernet weights (BN re-calibrated) on the held-out images. */
  supernetAccuracy: number;
  /** Accuracy measured on the search half of the held-out images when re-ranking (undefined otherwise). */
  searchAccuracy?: number;
  /** Test accuracy after fine-tuning (undefined when not fine-tuned). */
  testAccuracy?: number;
  module?: MobileNetSubnet;
}

export interface NasPipelineResult {
  space: SearchSpace;
  constraints: Constraints;
  latency: LatencyCheck;
  supernetPhases: PhaseRecord[];
  predictor: { samples: AccuracySample[]; heldOut: PredictorQuality };
  evolution: SearchResult;
  random: SearchResult;
  /** Re-measured top candidates of each search (empty when rerank is 0). */
  reranked: { evolution: RerankEntry[]; random: RerankEntry[] };
  finalists: Finalist[];
}

export interface RerankEntry {
  key: string;
  predicted: number;
  measured: number;
}

interface Context {
  options: NasPipelineOptions;
  space: SearchSpace;
  rng: Generator;
  log: (line: string) => void;
  progress: (stage: string, done: number, total: number) => void;
  costs: SubnetCostModel;
  table: LatencyTable;
}

interface DataSplit {
  supernetTrain: TensorDataset;
  fineTuneTrain: TensorDataset;
  /** Guides the search (predictor samples, re-ranking). */
  searchValidation: TensorDataset;
  /** Reports the finalists' supernet accuracies. */
  reportValidation: TensorDataset;
}

function splitData(options: NasPipelineOptions): DataSplit {
  const total = options.train.length;
  const held = options.validationImages ?? 5000;
  if (held < 2 || held >= total) throw new ConfigError(`NAS: ${held} validation images must be at least 2 and leave some of the ${total} training images for training`);
  const fineTuneTrain = options.train.slice(0, total - held);
  const middle = total - Math.floor(held / 2);
  return {
    fineTuneTrain,
    supernetTrain: fineTuneTrain.slice(0, Math.min(fineTuneTrain.length, options.supernetImages ?? 10000)),
    searchValidation: options.train.slice(total - held, middle),
    reportValidation: options.train.slice(middle),
  };
}

function checkLatency(context: Context): LatencyCheck {
  const count = context.options.latencyCheckSubnets ?? 20;
  const check = checkLatencyPredictor({
    space: context.space,
    table: context.table,
    costs: context.costs,
    measure: context.options.measureLatency,
    subnets: count,
    seed: (context.options.seed ?? 0) + 3,
    onProgress: (done, total) => context.progress('latency check', done, total),
  });
  context.log(`latency table: ${check.tableEntries} op configurations, scale ${check.scale.toFixed(3)}; MAPE on ${count} random subnets ${(check.mape * 100).toFixed(1)}%`);
  return check;
}

/** Measures random subnets that meet the constraints (the region the search explores). */
function collectAccuracySamples(context: Context, supernet: MobileNetSupernet, data: { calibration: DataLoader; validation: DataLoader }): AccuracySample[] {
  const count = context.options.predictorSamples ?? 100;
  const samples: AccuracySample[] = [];
  for (let index = 0; index < count; index++) {
    let config = sampleSubnet(context.space, context.rng);
    for (let attempt = 0; attempt < 1000 && !satisfies(context.costs.figures(config), context.options.constraints); attempt++) {
      config = sampleSubnet(context.space, context.rng);
    }
    samples.push({ config, accuracy: measureSubnetAccuracy(supernet, config, data) });
    context.progress('accuracy samples', index + 1, count);
  }
  return samples;
}

function runSearches(context: Context, problem: SearchProblem): { evolution: SearchResult; random: SearchResult } {
  const { options } = context;
  const evolutionOptions = { population: options.population ?? 32, generations: options.generations ?? 10, seed: (options.seed ?? 0) + 1 };
  const rounds = evolutionOptions.generations;
  const evolution = evolutionarySearch(problem, { ...evolutionOptions, onRound: (round) => context.progress('evolution', round, rounds) });
  const random = randomSearch(problem, { evaluations: evolutionEvaluations(evolutionOptions), seed: (options.seed ?? 0) + 2 });
  context.log(`evolutionary search: ${evolution.evaluations} evaluations, best predicted accuracy ${evolution.best.accuracy.toFixed(4)} (${evolution.best.key})`);
  context.log(`random search:       ${random.evaluations} evaluations, best predicted accuracy ${random.best.accuracy.toFixed(4)} (${random.best.key})`);
  return { evolution, random };
}

function finalist(context: Context, role: Finalist['role'], candidate: Candidate): Finalist {
  return {
    role,
    config: candidate.config,
    key: candidate.key,
    figures: candidate.figures,
    measuredLatencyMs: context.options.measureLatency(context.costs.graph(candidate.config)),
    predictedAccuracy: candidate.accuracy,
    supernetAccuracy: 0,
  };
}

function fineTuneFinalist(context: Context, supernet: MobileNetSupernet, entry: Finalist, data: { train: TensorDataset; calibration: DataLoader; test: DataLoader }): void {
  const { options } = context;
  supernet.setActive(entry.config);
  calibrateBatchNorm(supernet, data.calibration);
  const module = supernet.extractSubnet(entry.config);
  const epochs = options.finetuneEpochs ?? 3;
  if (epochs > 0) fineTune({
    model: module,
    train: data.train,
    epochs,
    batchSize: options.batchSize ?? 64,
    lr: options.finetuneLr ?? 1e-3,
    seed: options.seed ?? 0,
    onStep: ({ step, steps }) => context.progress(`fine-tune ${entry.role}`, step, steps),
  });
  module.eval();
  entry.module = module;
  entry.testAccuracy = batchAccuracy((inputs) => module.call(inputs), data.test);
  context.log(`${entry.role} (${entry.key}) fine-tuned for ${epochs} epochs on ${data.train.length} images: test accuracy ${entry.testAccuracy.toFixed(4)}`);
}

/** Measures `predictorSamples` random subnets, reports the predictor's held-out quality, fits it on all. */
function fitPredictor(context: Context, supernet: MobileNetSupernet, data: { calibration: DataLoader; validation: TensorDataset }) {
  const { options, space, log } = context;
  const images = Math.min(options.predictorImages ?? 1000, data.validation.length);
  const validation = new DataLoader(data.validation.slice(0, images), { batchSize: 250 });
  const samples = collectAccuracySamples(context, supernet, { calibration: data.calibration, validation });
  const cut = Math.max(2, Math.round(samples.length * 0.8));
  const heldOut = fitAccuracyPredictor({ space, samples: samples.slice(0, cut), seed: options.seed ?? 0 }).quality(samples.slice(cut));
  log(`accuracy predictor: ${samples.length} feasible subnets measured on ${images} held-out images; on the last ${samples.length - cut}: RMSE ${(heldOut.rmse * 100).toFixed(2)} points, Kendall tau ${heldOut.kendallTau.toFixed(3)}`);
  return { samples, heldOut, predictor: fitAccuracyPredictor({ space, samples, seed: options.seed ?? 0 }) };
}

/** Re-measures the top-k distinct candidates of a search (by predicted accuracy); the best measured wins. */
function rerank(context: Context, supernet: MobileNetSupernet, result: SearchResult, data: { calibration: DataLoader; validation: DataLoader }) {
  const top = context.options.rerank ?? 8;
  if (top <= 0) return { best: result.best, entries: [] as RerankEntry[], measured: undefined };
  const distinct = new Map<string, Candidate>();
  for (const candidate of [...result.evaluated].sort((a, b) => b.accuracy - a.accuracy)) {
    if (distinct.size >= top) break;
    if (!distinct.has(candidate.key)) distinct.set(candidate.key, candidate);
  }
  const entries = [...distinct.values()].map((candidate) => ({ candidate, measured: measureSubnetAccuracy(supernet, candidate.config, data) }));
  const winner = entries.reduce((best, entry) => (entry.measured > best.measured ? entry : best));
  return {
    best: winner.candidate,
    measured: winner.measured,
    entries: entries.map(({ candidate, measured }) => ({ key: candidate.key, predicted: candidate.accuracy, measured })),
  };
}

/** The re-ranked evolution and random-search winners and the hand-designed network, measured in the supernet. */
function measureFinalists(
  context: Context,
  supernet: MobileNetSupernet,
  inputs: { evolution: SearchResult; random: SearchResult; predictor: AccuracyPredictor; calibration: DataLoader; data: DataSplit },
): { finalists: Finalist[]; reranked: NasPipelineResult['reranked'] } {
  const { space, costs, options, log } = context;
  const searchData = { calibration: inputs.calibration, validation: new DataLoader(inputs.data.searchValidation, { batchSize: 250 }) };
  const evolution = rerank(context, supernet, inputs.evolution, searchData);
  const random = rerank(context, supernet, inputs.random, searchData);
  if (evolution.entries.length > 0) {
    const describe = (entry: typeof evolution) => `${entry.best.key} ${entry.measured?.toFixed(4)} (predicted ${entry.best.accuracy.toFixed(4)})`;
    log(`re-ranked the top ${evolution.entries.length} of each search on ${inputs.data.searchValidation.length} held-out images: evolution ${describe(evolution)}, random ${describe(random)}`);
  }
  const handConfig = handDesignedSubnet(space, (config) => satisfies(costs.figures(config), options.constraints));
  const hand: Candidate = { config: handConfig, key: subnetKey(handConfig), figures: costs.figures(handConfig), accuracy: inputs.predictor.predict(handConfig) };
  const finalists = [
    { ...finalist(context, 'evolution', evolution.best), searchAccuracy: evolution.measured },
    { ...finalist(context, 'random', random.best), searchAccuracy: random.measured },
    finalist(context, 'hand-designed', hand),
  ];
  const validation = new DataLoader(inputs.data.reportValidation, { batchSize: 250 });
  for (const entry of finalists) entry.supernetAccuracy = measureSubnetAccuracy(supernet, entry.config, { calibration: inputs.calibration, validation });
  log(`supernet accuracy on ${inputs.data.reportValidation.length} other held-out images: ${finalists.map((entry) => `${entry.role} ${entry.supernetAccuracy.toFixed(4)}`).join(', ')}`);
  return { finalists, reranked: { evolution: evolution.entries, random: random.entries } };
}

/** Loads the given supernet state, or trains the supernet by progressive shrinking. */
function prepareSupernet(context: Context, supernet: MobileNetSupernet, train: TensorDataset): PhaseRecord[] {
  const { options, log } = context;
  if (options.supernetState) {
    supernet.loadStateDict(options.supernetState);
    log(`supernet: ${supernet.parameterCount()} parameters, loaded from a saved state (no training)`);
    return [];
  }
  const phases = progressiveShrinkingPhases({ epochScale: options.supernetEpochs ?? 1 });
  log(`supernet: ${supernet.parameterCount()} parameters; progressive shrinking on ${train.length} images: ${phases.map((phase) => phase.name).join(' → ')}`);
  return trainProgressiveShrinking({
    supernet,
    train,
    phases,
    batchSize: options.batchSize ?? 64,
    seed: options.seed ?? 0,
    onStep: (report) => context.progress(`supernet: ${report.phase}`, report.step, report.steps),
    onPhaseEnd: (record) => {
      log(`  ${record.phase}: ${record.steps} steps, mean loss ${record.loss.toFixed(4)}, ${record.seconds.toFixed(0)} s`);
      checkLearning(record, supernet.space.classes);
    },
  });
}

/** Stops a long run early when the loss stays at chance level (ln classes): nothing is learning. */
function checkLearning(record: PhaseRecord, classes: number): void {
  if (record.steps >= 50 && record.loss > 0.97 * Math.log(classes)) {
    throw new ConfigError(
      `supernet phase '${record.phase}': mean loss ${record.loss.toFixed(4)} after ${record.steps} steps is chance level (ln ${classes} = ${Math.log(classes).toFixed(4)}); the backend's kernels or the learning rate are broken`,
    );
  }
}

export async function runNasPipeline(options: NasPipelineOptions): Promise<NasPipelineResult> {
  const space = options.space ?? FASHION_MNIST_SPACE;
  const log = options.log ?? (() => {});
  const table = new LatencyTable({ measure: options.measureLatency });
  const costs = new SubnetCostModel(space, { latency: (graph) => table.predict(graph) });
  const context: Context = { options, space, rng: new Generator(options.seed ?? 0), log, progress: options.progress ?? (() => {}), costs, table };
  const { constraints } = options;
  checkFeasible({ space, constraints, figures: (config) => costs.figures(config) });
  const data = splitData(options);
  const calibration = new DataLoader(data.supernetTrain.slice(0, Math.min(256, data.supernetTrain.length)), { batchSize: 128 });
  const latency = checkLatency(context);

  const supernet = new MobileNetSupernet({ space, seed: options.seed ?? 0 });
  const supernetPhases = prepareSupernet(context, supernet, data.supernetTrain);
  await options.onSupernetTrained?.(supernet);

  const { samples, heldOut, predictor } = fitPredictor(context, supernet, { calibration, validation: data.searchValidation });
  const problem: SearchProblem = { space, constraints, figures: (config) => costs.figures(config), accuracy: (configs) => predictor.predictMany(configs) };
  const { evolution, random } = runSearches(context, problem);
  const { finalists, reranked } = measureFinalists(context, supernet, { evolution, random, predictor, calibration, data });
  const test = new DataLoader(options.test, { batchSize: 250 });
  const which = options.finetuneBaselines ?? 'all';
  const tuned = finalists.filter((entry) => entry.role === 'evolution' || which === 'all' || which === entry.role);
  for (const entry of tuned) fineTuneFinalist(context, supernet, entry, { train: data.fineTuneTrain, calibration, test });
  return { space, constraints, latency, supernetPhases, predictor: { samples, heldOut }, evolution, random, reranked, finalists };
}
