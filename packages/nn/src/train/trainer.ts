// fit(): the training loop (forward, loss, backward, optimizer step, LR schedule) over epochs, with
// progress on stderr, optional evaluation after each epoch, per-epoch checkpoints and resume
// from the latest checkpoint.
import { ConfigError } from '@efficientdl/ir';
import type { Tensor } from '@efficientdl/tensor';
import type { Sample } from '../data/dataset.js';
import type { Module } from '../module.js';
import type { LRScheduler } from '../optim/lr-scheduler.js';
import type { Optimizer } from '../optim/optimizer.js';
import { type TrainerState, loadLatestCheckpoint, saveCheckpoint } from './checkpoint.js';
import { evaluate } from './evaluate.js';
import { type ProgressMode, ProgressReporter, type ProgressStream } from './progress.js';

/** A batch source: DataLoader or any iterable of [inputs, targets]. */
export type BatchSource = Iterable<Sample> & { readonly length?: number; setEpoch?(epoch: number): void };

export interface FitOptions {
  model: Module;
  optimizer: Optimizer;
  /** loss(output, target) → scalar. */
  loss: (output: Tensor, target: Tensor) => Tensor;
  trainLoader: BatchSource;
  /** Total epochs (a resumed run continues up to this count). */
  epochs: number;
  scheduler?: LRScheduler;
  /** Accuracy on this loader is computed after each epoch. */
  evalLoader?: Iterable<Sample>;
  /** Write a checkpoint after every epoch into this folder. */
  checkpointDir?: string;
  /** Continue from the latest checkpoint in checkpointDir when there is one. */
  resume?: boolean;
  /** 'auto' (default): a bar on a TTY, per-epoch lines otherwise. */
  progress?: ProgressMode;
  progressStream?: ProgressStream;
  /** Print a summary line per epoch on the progress stream (default true). */
  epochSummary?: boolean;
  /** Called after each epoch (after evaluation and checkpointing). */
  onEpochEnd?: (record: EpochRecord) => void;
}

export interface EpochRecord {
  /** 1-based epoch number. */
  epoch: number;
  steps: number;
  samples: number;
  /** Mean training loss over the epoch's batches. */
  loss: number;
  seconds: number;
  samplesPerSecond: number;
  /** Learning rate at the end of the epoch. */
  lr: number;
  evalAccuracy?: number;
  checkpoint?: string;
}

export interface FitResult {
  history: EpochRecord[];
  /** Optimizer steps completed in total (including resumed ones). */
  step: number;
  /** The epoch the run resumed after (0 for a fresh run). */
  resumedEpoch: number;
}

function validate(options: FitOptions): void {
  if (!(Number.isInteger(options.epochs) && options.epochs >= 0)) {
    throw new ConfigError(`fit: epochs must be a non-negative integer, got ${options.epochs}`);
  }
  if (options.resume && !options.checkpointDir) throw new ConfigError('fit: resume needs checkpointDir');
}

interface EpochContext {
  options: FitOptions;
  reporter: ProgressReporter;
  epoch: number;
  step: number;
}

/** Runs one training epoch; returns its record (without eval/checkpoint) and the new step count. */
function trainEpoch(context: EpochContext): { record: EpochRecord; step: number } {
  const { options, reporter, epoch } = context;
  const { model, optimizer, scheduler, trainLoader } = options;
  let step = context.step;
  model.train();
  trainLoader.setEpoch?.(epoch - 1);
  reporter.startEpoch(epoch, options.epochs, trainLoader.length ?? 0);
  const started = performance.now();
  let lossSum = 0;
  let batches = 0;
  let samples = 0;
  for (const [inputs, targets] of trainLoader) {
    if (!inputs || !targets) throw new ConfigError('fit: each batch must be [inputs, targets]');
    optimizer.zeroGrad();
    const loss = options.loss(model.call(inputs), targets);
    loss.backward();
    optimizer.step();
    if (scheduler?.interval === 'step') scheduler.step();
    step++;
    batches++;
    samples += inputs.shape[0] ?? 1;
    lossSum += loss.item();
    const elapsedSeconds = (performance.now() - started) / 1000;
    reporter.update({ step: batches, loss: lossSum / batches, samplesPerSecond: samples / elapsedSeconds, elapsedSeconds });
  }
  if (scheduler?.interval === 'epoch') scheduler.step();
  const seconds = (performance.now() - started) / 1000;
  const record: EpochRecord = {
    epoch,
    steps: batches,
    samples,
    loss: batches > 0 ? lossSum / batches : Number.NaN,
    seconds,
    samplesPerSecond: seconds > 0 ? samples / seconds : 0,
    lr: optimizer.lr,
  };
  return { record, step };
}

/** Trains `model`; returns the per-epoch history. */
export async function fit(options: FitOptions): Promise<FitResult> {
  validate(options);
  const reporter = new ProgressReporter({
    mode: options.progress,
    stream: options.progressStream,
    epochSummary: options.epochSummary,
  });
  const parts = { model: options.model, optimizer: options.optimizer, scheduler: options.scheduler };
  let state: TrainerState = { epoch: 0, step: 0, lr: options.optimizer.lr, metrics: {} };
  if (options.resume && options.checkpointDir) {
    const restored = await loadLatestCheckpoint(options.checkpointDir, parts);
    if (restored) {
      state = restored;
      reporter.message(`resumed from epoch ${restored.epoch} (step ${restored.step}) in ${options.checkpointDir}`);
    }
  }
  const resumedEpoch = state.epoch;
  const history: EpochRecord[] = [];
  for (let epoch = state.epoch + 1; epoch <= options.epochs; epoch++) {
    const { record, step } = trainEpoch({ options, reporter, epoch, step: state.step });
    if (options.evalLoader) record.evalAccuracy = evaluate(options.model, options.evalLoader);
    const metrics: Record<string, number> = { loss: record.loss, samplesPerSecond: record.samplesPerSecond };
    if (record.evalAccuracy !== undefined) metrics.evalAccuracy = record.evalAccuracy;
    state = { epoch, step, lr: options.optimizer.lr, metrics };
    if (options.checkpointDir) record.checkpoint = await saveCheckpoint(options.checkpointDir, parts, state);
    reporter.endEpoch({ ...record, epochs: options.epochs });
    history.push(record);
    options.onEpochEnd?.(record);
  }
  return { history, step: state.step, resumedEpoch };
}
