// Gradual magnitude pruning during fine-tuning (Zhu & Gupta 2017, "To prune, or not to prune"):
// attached to an optimizer, it re-prunes the model every `frequency` steps between `startStep`
// and `endStep`, the ratio following the cubic schedule r_t = r · (1 − (1 − t)³), t ∈ [0, 1],
// and keeps the current masks applied around every step (gradients masked before, weights
// zeroed after). Weights pruned once have score 0 and stay pruned as the ratio grows.
import { ConfigError } from '@efficientdl/ir';
import type { Optimizer } from '@efficientdl/nn';
import type { SparsityModel } from './prunable-weights.js';
import { pruneSparse } from './prune-sparse.js';
import { type SparsityConfig, checkSparsityConfig, nmPatternOf } from './sparsity-config.js';
import type { SparsityMasks } from './sparsity-masks.js';

export interface GradualSparsityOptions {
  /** The final sparsity (a ratio-based granularity: element, kernel or block). */
  readonly config: SparsityConfig;
  /** Optimizer step of the first pruning (default 0: before the first step). */
  readonly startStep?: number;
  /** Step at which the final ratio is reached. */
  readonly endStep: number;
  /** Steps between prunings (default: 1/10 of the ramp). */
  readonly frequency?: number;
}

export interface GradualSparsity {
  /** The masks in force (undefined before the first pruning). */
  readonly masks: SparsityMasks | undefined;
  /** The ratio the masks were computed for. */
  readonly ratio: number;
  /** Restores the optimizer's own step (the masks stay applied to the weights). */
  detach(): void;
}

/** The cubic ramp r · (1 − (1 − t)³) at optimizer step `step`. */
export function gradualRatio(options: { finalRatio: number; startStep: number; endStep: number; step: number }): number {
  const { finalRatio, startStep, endStep, step } = options;
  const progress = Math.min(1, Math.max(0, (step - startStep) / Math.max(1, endStep - startStep)));
  return finalRatio * (1 - (1 - progress) ** 3);
}

function checkOptions(options: GradualSparsityOptions): { startStep: number; endStep: number; frequency: number } {
  checkSparsityConfig(options.config);
  if (nmPatternOf(options.config.granularity)) throw new ConfigError(`attachGradualSparsity: granularity '${options.config.granularity}' has no ratio to ramp; prune it once with pruneSparse`);
  const startStep = options.startStep ?? 0;
  const { endStep } = options;
  if (!(Number.isInteger(startStep) && Number.isInteger(endStep) && startStep >= 0 && endStep >= startStep)) {
    throw new ConfigError(`attachGradualSparsity: need integers 0 <= startStep <= endStep, got ${startStep} and ${endStep}`);
  }
  const frequency = options.frequency ?? Math.max(1, Math.floor((endStep - startStep) / 10));
  if (!(Number.isInteger(frequency) && frequency >= 1)) throw new ConfigError(`attachGradualSparsity: frequency must be a positive integer, got ${frequency}`);
  return { startStep, endStep, frequency };
}

/** Wraps optimizer.step with the gradual schedule (see the file header). */
export function attachGradualSparsity(model: SparsityModel, optimizer: Optimizer, options: GradualSparsityOptions): GradualSparsity {
  const { startStep, endStep, frequency } = checkOptions(options);
  const finalRatio = options.config.ratio as number;
  const state: { masks: SparsityMasks | undefined; ratio: number; step: number } = { masks: undefined, ratio: 0, step: 0 };
  const prune = () => {
    const ratio = gradualRatio({ finalRatio, startStep, endStep, step: state.step });
    state.masks = pruneSparse(model, { ...options.config, ratio });
    state.ratio = ratio;
  };
  const due = () => state.step >= startStep && state.step <= endStep && ((state.step - startStep) % frequency === 0 || state.step === endStep);
  const original = optimizer.step;
  optimizer.step = () => {
    if (due()) prune();
    state.masks?.maskGradients(model);
    original.call(optimizer);
    state.masks?.reapply(model);
    state.step++;
  };
  return {
    get masks() {
      return state.masks;
    },
    get ratio() {
      return state.ratio;
    },
    detach: () => {
      optimizer.step = original;
    },
  };
}
