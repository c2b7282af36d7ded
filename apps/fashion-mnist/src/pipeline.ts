// The training pipeline shared by train.ts, demo.ts and the test: model, AdamW, cosine LR
// schedule per step, seeded shuffling, fit() with per-epoch lines, then test-set accuracy.
import {
  AdamW,
  CosineAnnealingLR,
  DataLoader,
  type EpochRecord,
  type ProgressMode,
  type TensorDataset,
  crossEntropy,
  evaluate,
  fit,
} from '@efficientdl/nn';
import { Distiller } from '@efficientdl/distill';
import { FashionCnn } from './model.js';

export interface PipelineOptions {
  train: TensorDataset;
  test: TensorDataset;
  epochs: number;
  batchSize: number;
  lr: number;
  seed: number;
  weightDecay?: number;
  /** Conv channels of the model (default [16, 32]). */
  channels?: readonly [number, number];
  /** Distil from this frozen teacher (KD loss) instead of training on the labels alone. */
  teacher?: FashionCnn;
  /** KD temperature and hard-label weight (defaults 4 and 0.5). */
  distillation?: { temperature?: number; alpha?: number };
  checkpointDir?: string;
  resume?: boolean;
  /** Progress bar on stderr: 'auto' (default) draws it when stderr is a TTY. */
  progress?: ProgressMode;
  /** Receives one line per epoch (stdout in the CLIs). */
  log?: (line: string) => void;
}

export interface PipelineResult {
  model: FashionCnn;
  history: EpochRecord[];
  testAccuracy: number;
}

export function formatEpoch(record: EpochRecord, epochs: number): string {
  return `epoch ${record.epoch}/${epochs}: loss ${record.loss.toFixed(4)}, ${record.seconds.toFixed(1)} s/epoch, ${Math.round(record.samplesPerSecond)} samples/s`;
}

export async function runPipeline(options: PipelineOptions): Promise<PipelineResult> {
  const model = new FashionCnn({ seed: options.seed, channels: options.channels });
  const distiller = options.teacher ? new Distiller({ teacher: options.teacher, student: model, ...options.distillation }) : undefined;
  const optimizer = new AdamW(model.parameters(), { lr: options.lr, weightDecay: options.weightDecay ?? 1e-4 });
  const trainLoader = new DataLoader(options.train, { batchSize: options.batchSize, shuffle: true, seed: options.seed });
  const scheduler = new CosineAnnealingLR(optimizer, {
    tMax: Math.max(1, trainLoader.length * options.epochs),
    etaMin: options.lr * 0.05,
    interval: 'step',
  });
  const log = options.log ?? (() => {});
  log(`training on ${options.train.length} images, testing on ${options.test.length}; ${model.parameterCount()} parameters`);
  const { history } = await fit({
    model: distiller ?? model,
    optimizer,
    scheduler,
    loss: distiller ? distiller.fitLoss() : (logits, targets) => crossEntropy(logits, targets),
    trainLoader,
    epochs: options.epochs,
    checkpointDir: options.checkpointDir,
    resume: options.resume,
    progress: options.progress,
    epochSummary: false, // the per-epoch lines go to `log` (stdout in the CLIs) instead
    onEpochEnd: (record) => log(formatEpoch(record, options.epochs)),
  });
  const testAccuracy = evaluate(model, new DataLoader(options.test, { batchSize: 500 }));
  return { model, history, testAccuracy };
}
