// Importance criteria as plain-data strategy objects (DESIGN §5: configs are data with a `kind`).
// Scores are per root channel of a group, summed over every coupled parameter slice:
//   magnitude({p})  (Σ |w|^p)^(1/p) over the weights and biases coupled to the channel (group norm)
//   bnScale()       Σ |γ| of the normalization scales coupled to the channel (network slimming)
//   taylor({batches}) Σ |w · ∂L/∂w| over the trainable parameters coupled to the channel, gradients of
//                   the loss summed over a few batches (Molchanov et al. 2019, first order)
//   random({seed})  uniform random scores (a baseline)
import type { Tensor } from '@efficientdl/tensor';

export interface MagnitudeImportance {
  readonly kind: 'magnitude';
  readonly p: 1 | 2;
}

export interface BnScaleImportance {
  readonly kind: 'bn-scale';
}

/** One batch: model inputs and the targets of the loss. */
export interface TaylorBatch {
  readonly inputs: readonly Tensor[];
  readonly targets: Tensor;
}

export interface TaylorImportance {
  readonly kind: 'taylor';
  readonly batches: readonly TaylorBatch[];
  /** loss(output, targets) → scalar; default cross-entropy on logits. */
  readonly loss?: (output: Tensor, targets: Tensor) => Tensor;
}

export interface RandomImportance {
  readonly kind: 'random';
  readonly seed: number;
}

export type Importance = MagnitudeImportance | BnScaleImportance | TaylorImportance | RandomImportance;

export function magnitude(options: { p?: 1 | 2 } = {}): MagnitudeImportance {
  return { kind: 'magnitude', p: options.p ?? 2 };
}

export function bnScale(): BnScaleImportance {
  return { kind: 'bn-scale' };
}

export function taylor(options: { batches: readonly TaylorBatch[]; loss?: TaylorImportance['loss'] }): TaylorImportance {
  return options.loss ? { kind: 'taylor', batches: options.batches, loss: options.loss } : { kind: 'taylor', batches: options.batches };
}

export function random(options: { seed?: number } = {}): RandomImportance {
  return { kind: 'random', seed: options.seed ?? 0 };
}

export function describeImportance(importance: Importance): string {
  switch (importance.kind) {
    case 'magnitude':
      return `magnitude (L${importance.p})`;
    case 'bn-scale':
      return 'BN scale |γ|';
    case 'taylor':
      return `Taylor |w·g| (${importance.batches.length} batches)`;
    case 'random':
      return `random (seed ${importance.seed})`;
  }
}
