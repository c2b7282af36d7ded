// Progressive shrinking (once-for-all): train the largest network first, then open the elastic
// dimensions one after another — kernel size (with resolution), depth, then expand ratio and
// width (after sorting channels by importance) — sampling a random subnet of the dimensions open
// so far at every step. Each phase has its own AdamW with a cosine learning-rate decay.
import { ConfigError } from '@efficientdl/ir';
import { AdamW, CosineAnnealingLR, DataLoader, type Dataset, crossEntropy } from '@efficientdl/nn';
import { Generator, type Tensor } from '@efficientdl/tensor';
import { sortChannelsByImportance } from './channel-sorting.js';
import { largestSubnet } from './search-space.js';
import { type ElasticDimension, sampleSubnet } from './subnet-sampling.js';
import type { MobileNetSupernet } from './supernet.js';

export interface ShrinkingPhase {
  name: string;
  /** Dimensions sampled at random in this phase (the others stay at their largest). */
  elastic: readonly ElasticDimension[];
  /** Passes over the training set (fractions allowed). */
  epochs: number;
  /** Peak learning rate (cosine decay to 5% within the phase). */
  lr: number;
  /** Sort channels by importance before the phase starts. */
  sortChannels?: boolean;
}

/** The once-for-all schedule with one epoch per phase (scale with `epochScale`). */
export function progressiveShrinkingPhases(options: { epochScale?: number } = {}): ShrinkingPhase[] {
  const scale = options.epochScale ?? 1;
  return [
    { name: 'largest', elastic: [], epochs: scale, lr: 3e-3 },
    { name: 'elastic kernel', elastic: ['kernel', 'resolution'], epochs: scale, lr: 1.5e-3 },
    { name: 'elastic depth', elastic: ['kernel', 'resolution', 'depth'], epochs: scale, lr: 1.5e-3 },
    { name: 'elastic expand + width', elastic: ['kernel', 'resolution', 'depth', 'expand', 'width'], epochs: scale, lr: 1.5e-3, sortChannels: true },
  ];
}

export interface StepReport {
  phase: string;
  /** Step within the phase (1-based) and the phase's step count. */
  step: number;
  steps: number;
  loss: number;
}

export interface PhaseRecord {
  phase: string;
  steps: number;
  samples: number;
  /** Mean training loss over the phase. */
  loss: number;
  seconds: number;
}

export interface ProgressiveShrinkingOptions {
  supernet: MobileNetSupernet;
  train: Dataset;
  phases?: readonly ShrinkingPhase[];
  batchSize?: number;
  seed?: number;
  weightDecay?: number;
  onStep?: (report: StepReport) => void;
  onPhaseEnd?: (record: PhaseRecord) => void;
}

function* cycle(loader: DataLoader, steps: number): IterableIterator<Tensor[]> {
  let epoch = 0;
  let produced = 0;
  while (produced < steps) {
    loader.setEpoch(epoch++);
    for (const batch of loader) {
      if (produced++ >= steps) return;
      yield batch;
    }
  }
}

function trainPhase(options: ProgressiveShrinkingOptions, phase: ShrinkingPhase, index: number): PhaseRecord {
  const { supernet } = options;
  const seed = (options.seed ?? 0) + 1000 * index;
  const loader = new DataLoader(options.train, { batchSize: options.batchSize ?? 64, shuffle: true, seed, dropLast: true });
  const steps = Math.max(1, Math.round(phase.epochs * loader.length));
  const optimizer = new AdamW(supernet.parameters(), { lr: phase.lr, weightDecay: options.weightDecay ?? 5e-5 });
  const scheduler = new CosineAnnealingLR(optimizer, { tMax: steps, etaMin: phase.lr * 0.05, interval: 'step' });
  const rng = new Generator(seed);
  const started = performance.now();
  let lossSum = 0;
  let step = 0;
  supernet.train();
  for (const [inputs, targets] of cycle(loader, steps)) {
    supernet.setActive(sampleSubnet(supernet.space, rng, { elastic: phase.elastic }));
    const loss = crossEntropy(supernet.call(inputs as Tensor), targets as Tensor);
    optimizer.zeroGrad();
    loss.backward();
    optimizer.step();
    scheduler.step();
    const value = loss.item();
    lossSum += value;
    step++;
    options.onStep?.({ phase: phase.name, step, steps, loss: value });
  }
  return { phase: phase.name, steps, samples: steps * (options.batchSize ?? 64), loss: lossSum / steps, seconds: (performance.now() - started) / 1000 };
}

/** Runs the phases in order; the supernet is left with its largest subnet active. */
export function trainProgressiveShrinking(options: ProgressiveShrinkingOptions): PhaseRecord[] {
  const phases = options.phases ?? progressiveShrinkingPhases();
  if (options.train.length < (options.batchSize ?? 64)) {
    throw new ConfigError(`progressive shrinking: ${options.train.length} training samples are fewer than one batch of ${options.batchSize ?? 64}`);
  }
  const records: PhaseRecord[] = [];
  phases.forEach((phase, index) => {
    if (phase.epochs <= 0) return;
    if (phase.sortChannels) sortChannelsByImportance(options.supernet);
    const record = trainPhase(options, phase, index);
    records.push(record);
    options.onPhaseEnd?.(record);
  });
  options.supernet.setActive(largestSubnet(options.supernet.space));
  return records;
}
