// Fine-tuning an extracted subnet (or training a baseline) as an ordinary nn Module: AdamW with
// a per-step cosine decay, seeded shuffling, a callback per step for progress.
import { ConfigError } from '@efficientdl/ir';
import { AdamW, CosineAnnealingLR, DataLoader, type Dataset, type Module, crossEntropy } from '@efficientdl/nn';
import type { Tensor } from '@efficientdl/tensor';

export interface FineTuneOptions {
  model: Module;
  train: Dataset;
  epochs: number;
  batchSize?: number;
  /** Peak learning rate (default 1e-3), decayed to 2% by cosine. */
  lr?: number;
  weightDecay?: number;
  seed?: number;
  onStep?: (report: { step: number; steps: number; loss: number }) => void;
}

export interface FineTuneResult {
  steps: number;
  /** Mean loss of the last epoch's steps. */
  finalLoss: number;
  seconds: number;
}

export function fineTune(options: FineTuneOptions): FineTuneResult {
  const { model } = options;
  const batchSize = options.batchSize ?? 64;
  if (!(options.epochs > 0)) throw new ConfigError(`fineTune: epochs must be > 0, got ${options.epochs}`);
  const loader = new DataLoader(options.train, { batchSize, shuffle: true, seed: options.seed ?? 0, dropLast: true });
  const perEpoch = loader.length;
  const steps = Math.max(1, Math.round(options.epochs * perEpoch));
  const lr = options.lr ?? 1e-3;
  const optimizer = new AdamW(model.parameters(), { lr, weightDecay: options.weightDecay ?? 5e-5 });
  const scheduler = new CosineAnnealingLR(optimizer, { tMax: steps, etaMin: lr * 0.02, interval: 'step' });
  const started = performance.now();
  model.train();
  let step = 0;
  let recent: number[] = [];
  for (let epoch = 0; step < steps; epoch++) {
    loader.setEpoch(epoch);
    recent = [];
    for (const [inputs, targets] of loader) {
      if (step >= steps) break;
      const loss = crossEntropy(model.call(inputs as Tensor) as Tensor, targets as Tensor);
      optimizer.zeroGrad();
      loss.backward();
      optimizer.step();
      scheduler.step();
      const value = loss.item();
      recent.push(value);
      step++;
      options.onStep?.({ step, steps, loss: value });
    }
  }
  model.eval();
  const finalLoss = recent.reduce((a, b) => a + b, 0) / Math.max(1, recent.length);
  return { steps, finalLoss, seconds: (performance.now() - started) / 1000 };
}
