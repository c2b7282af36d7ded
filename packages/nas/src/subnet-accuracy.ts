// Measuring a subnet inside the supernet: BatchNorm statistics are re-estimated for the subnet
// on a few training batches (cumulative average; the running statistics of a shared supernet
// fit no single subnet), then top-1 accuracy is computed on held-out batches in eval mode.
import { ConfigError } from '@efficientdl/ir';
import { type Sample, countCorrect } from '@efficientdl/nn';
import { type Tensor, noGrad } from '@efficientdl/tensor';
import type { SubnetConfig } from './search-space.js';
import type { MobileNetSupernet } from './supernet.js';

/** Re-estimates the BatchNorm statistics of the active subnet from `batches` (inputs only). */
export function calibrateBatchNorm(supernet: MobileNetSupernet, batches: Iterable<Sample>): void {
  const norms = supernet.batchNorms();
  const wasTraining = supernet.training;
  for (const norm of norms) {
    norm.resetStatistics();
    norm.calibrating = true;
  }
  supernet.train(true);
  try {
    noGrad(() => {
      for (const [inputs] of batches) {
        if (!inputs) throw new ConfigError('calibrateBatchNorm: each batch must start with its inputs');
        supernet.call(inputs);
      }
    });
  } finally {
    for (const norm of norms) norm.calibrating = false;
    supernet.train(wasTraining);
  }
}

/** Top-1 accuracy of a forward function over [inputs, targets] batches, in eval mode. */
export function batchAccuracy(forward: (inputs: Tensor) => Tensor, batches: Iterable<Sample>): number {
  let correct = 0;
  let total = 0;
  noGrad(() => {
    for (const [inputs, targets] of batches) {
      if (!inputs || !targets) throw new ConfigError('accuracy: each batch must be [inputs, targets]');
      correct += countCorrect(forward(inputs), targets);
      total += targets.shape[0] ?? 0;
    }
  });
  if (total === 0) throw new ConfigError('accuracy: no samples');
  return correct / total;
}

export interface SubnetAccuracyOptions {
  /** Training batches for BatchNorm re-calibration. */
  calibration: Iterable<Sample>;
  /** Held-out batches for accuracy. */
  validation: Iterable<Sample>;
}

/** Activates `config`, re-calibrates BatchNorm and returns its validation accuracy (supernet left on `config`). */
export function measureSubnetAccuracy(supernet: MobileNetSupernet, config: SubnetConfig, options: SubnetAccuracyOptions): number {
  supernet.setActive(config);
  calibrateBatchNorm(supernet, options.calibration);
  const wasTraining = supernet.training;
  supernet.eval();
  try {
    return batchAccuracy((inputs) => supernet.call(inputs), options.validation);
  } finally {
    supernet.train(wasTraining);
  }
}
