// Classification accuracy of a model over a loader of [inputs, targets] batches: argmax over the
// class axis 1 compared with integer targets, in eval mode and without gradient recording.
import { ConfigError, readNumber } from '@efficientdl/ir';
import { type Tensor, noGrad } from '@efficientdl/tensor';
import type { Sample } from '../data/dataset.js';
import type { Module } from '../module.js';

/** Number of rows of `logits` (N, C) whose argmax equals the target class. */
export function countCorrect(logits: Tensor, targets: Tensor): number {
  // logits: (N, C); targets: (N)
  const [rows, classes] = logits.shape as [number, number];
  const values = logits.values as Float32Array;
  let correct = 0;
  for (let row = 0; row < rows; row++) {
    let best = 0;
    for (let column = 1; column < classes; column++) {
      if ((values[row * classes + column] as number) > (values[row * classes + best] as number)) best = column;
    }
    if (best === readNumber(targets.data, row)) correct++;
  }
  return correct;
}

/** Top-1 accuracy in [0, 1]; restores the model's previous training mode. */
export function evaluate(model: Module, loader: Iterable<Sample>): number {
  const wasTraining = model.training;
  model.eval();
  let correct = 0;
  let total = 0;
  try {
    noGrad(() => {
      for (const [inputs, targets] of loader) {
        if (!inputs || !targets) throw new ConfigError('evaluate: each batch must be [inputs, targets]');
        const logits = model.call(inputs);
        correct += countCorrect(logits, targets);
        total += targets.shape[0] ?? 0;
      }
    });
  } finally {
    model.train(wasTraining);
  }
  if (total === 0) throw new ConfigError('evaluate: the loader yielded no samples');
  return correct / total;
}
