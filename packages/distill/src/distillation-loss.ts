// Knowledge-distillation loss (Hinton, Vinyals & Dean 2015, "Distilling the Knowledge in a Neural
// Network"): α · CE(student, targets) + (1 − α) · τ² · KL(softmax(teacher/τ) ‖ softmax(student/τ)),
// the KL with 'batchmean' reduction (sum over the batch divided by N). τ² keeps the soft-target
// gradients on the scale of the hard-target ones. The teacher logits are detached.
import { ConfigError, ShapeError, formatShape, shapesEqual } from '@efficientdl/ir';
import { crossEntropy, klDivergence } from '@efficientdl/nn';
import { F, type Tensor } from '@efficientdl/tensor';

export interface DistillationLossOptions {
  /** Softmax temperature τ > 0 (default 4). */
  temperature?: number;
  /** Weight α in [0, 1] of the hard-target cross-entropy (default 0.5). */
  alpha?: number;
}

function validateOptions(temperature: number, alpha: number): void {
  if (!(temperature > 0) || !Number.isFinite(temperature)) {
    throw new ConfigError(`distillationLoss: temperature must be a positive number, got ${temperature}`);
  }
  if (!(alpha >= 0 && alpha <= 1)) throw new ConfigError(`distillationLoss: alpha must be in [0, 1], got ${alpha}`);
}

/** τ² · KL(softmax(teacher/τ) ‖ softmax(student/τ)), batchmean; the soft-target term alone. */
export function softTargetLoss(studentLogits: Tensor, teacherLogits: Tensor, temperature: number): Tensor {
  // studentLogits, teacherLogits: (N, C, ...)
  const studentLogProbabilities = F.logSoftmax(F.div(studentLogits, temperature), 1);
  const teacherLogProbabilities = F.logSoftmax(F.div(teacherLogits.detach(), temperature), 1);
  const divergence = klDivergence(studentLogProbabilities, teacherLogProbabilities, { reduction: 'batchmean', logTarget: true });
  return F.mul(divergence, temperature * temperature);
}

// studentLogits, teacherLogits: (N, C, ...); targets: (N, ...) class indices
export function distillationLoss(
  studentLogits: Tensor,
  teacherLogits: Tensor,
  targets: Tensor | readonly number[],
  options: DistillationLossOptions = {},
): Tensor {
  const temperature = options.temperature ?? 4;
  const alpha = options.alpha ?? 0.5;
  validateOptions(temperature, alpha);
  if (!shapesEqual(studentLogits.shape, teacherLogits.shape)) {
    throw new ShapeError(
      `distillationLoss: student logits ${formatShape(studentLogits.shape)} and teacher logits ${formatShape(teacherLogits.shape)} differ`,
      { op: 'distillationLoss' },
    );
  }
  if (alpha === 1) return crossEntropy(studentLogits, targets);
  const soft = softTargetLoss(studentLogits, teacherLogits, temperature);
  if (alpha === 0) return soft;
  return F.add(F.mul(crossEntropy(studentLogits, targets), alpha), F.mul(soft, 1 - alpha));
}
