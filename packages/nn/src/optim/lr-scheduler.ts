// Learning-rate schedules (torch.optim.lr_scheduler): StepLR, CosineAnnealingLR (closed form) and
// OneCycleLR (cosine annealing, two phases). Each computes lr from its step count in closed form,
// writes it to the optimizer on step(), and round-trips through stateDict().
import { ConfigError } from '@efficientdl/ir';
import type { Optimizer } from './optimizer.js';

export interface SchedulerState {
  kind: string;
  stepCount: number;
}

export abstract class LRScheduler {
  abstract readonly kind: string;
  /** When the trainer calls step(): once per 'epoch' or once per optimizer 'step' (batch). */
  abstract readonly interval: 'epoch' | 'step';
  readonly optimizer: Optimizer;
  readonly baseLr: number;
  /** Number of step() calls so far. */
  stepCount = 0;

  constructor(optimizer: Optimizer) {
    this.optimizer = optimizer;
    this.baseLr = optimizer.lr;
  }

  /** The learning rate after `stepCount` steps. */
  protected abstract lrAt(stepCount: number): number;

  /** The current learning rate. */
  get lr(): number {
    return this.lrAt(this.stepCount);
  }

  /** Advances the schedule and writes the new lr to the optimizer. */
  step(): void {
    this.stepCount++;
    this.optimizer.lr = this.lr;
  }

  stateDict(): SchedulerState {
    return { kind: this.kind, stepCount: this.stepCount };
  }

  loadStateDict(state: SchedulerState): void {
    if (state.kind !== this.kind) throw new ConfigError(`scheduler state is for '${state.kind}', not '${this.kind}'`);
    this.stepCount = state.stepCount;
    this.optimizer.lr = this.lr;
  }
}

/** lr = base · γ^⌊t / stepSize⌋ (stepped per epoch). */
export class StepLR extends LRScheduler {
  readonly kind = 'step';
  readonly interval = 'epoch';
  readonly stepSize: number;
  readonly gamma: number;

  constructor(optimizer: Optimizer, options: { stepSize: number; gamma?: number }) {
    super(optimizer);
    if (!(options.stepSize >= 1)) throw new ConfigError(`StepLR: stepSize must be ≥ 1, got ${options.stepSize}`);
    this.stepSize = options.stepSize;
    this.gamma = options.gamma ?? 0.1;
  }

  protected lrAt(stepCount: number): number {
    return this.baseLr * this.gamma ** Math.floor(stepCount / this.stepSize);
  }
}

/** lr = ηmin + (base − ηmin)·(1 + cos(π·t / tMax)) / 2 (stepped per epoch unless interval is 'step'). */
export class CosineAnnealingLR extends LRScheduler {
  readonly kind = 'cosine';
  readonly interval: 'epoch' | 'step';
  readonly tMax: number;
  readonly etaMin: number;

  constructor(optimizer: Optimizer, options: { tMax: number; etaMin?: number; interval?: 'epoch' | 'step' }) {
    super(optimizer);
    if (!(options.tMax > 0)) throw new ConfigError(`CosineAnnealingLR: tMax must be > 0, got ${options.tMax}`);
    this.tMax = options.tMax;
    this.etaMin = options.etaMin ?? 0;
    this.interval = options.interval ?? 'epoch';
  }

  protected lrAt(stepCount: number): number {
    return this.etaMin + ((this.baseLr - this.etaMin) * (1 + Math.cos((Math.PI * stepCount) / this.tMax))) / 2;
  }
}

export interface OneCycleOptions {
  maxLr: number;
  totalSteps: number;
  /** Fraction of steps spent increasing lr (default 0.3). */
  pctStart?: number;
  /** initial lr = maxLr / divFactor (default 25). */
  divFactor?: number;
  /** final lr = initial lr / finalDivFactor (default 1e4). */
  finalDivFactor?: number;
}

/** One-cycle policy (Smith & Topin), cosine annealing up then down; stepped per batch. */
export class OneCycleLR extends LRScheduler {
  readonly kind = 'one-cycle';
  readonly interval = 'step';
  readonly maxLr: number;
  readonly totalSteps: number;
  readonly initialLr: number;
  readonly minLr: number;
  private readonly warmupEnd: number;

  constructor(optimizer: Optimizer, options: OneCycleOptions) {
    super(optimizer);
    if (!(options.totalSteps >= 2)) throw new ConfigError(`OneCycleLR: totalSteps must be ≥ 2, got ${options.totalSteps}`);
    this.maxLr = options.maxLr;
    this.totalSteps = options.totalSteps;
    this.initialLr = options.maxLr / (options.divFactor ?? 25);
    this.minLr = this.initialLr / (options.finalDivFactor ?? 1e4);
    this.warmupEnd = (options.pctStart ?? 0.3) * options.totalSteps - 1;
    optimizer.lr = this.initialLr;
  }

  protected lrAt(stepCount: number): number {
    if (stepCount > this.totalSteps) {
      throw new ConfigError(`OneCycleLR: stepped ${stepCount} times, beyond totalSteps ${this.totalSteps}`);
    }
    const anneal = (start: number, end: number, fraction: number) => end + ((start - end) / 2) * (1 + Math.cos(Math.PI * fraction));
    if (this.warmupEnd > 0 && stepCount <= this.warmupEnd) return anneal(this.initialLr, this.maxLr, stepCount / this.warmupEnd);
    const fraction = (stepCount - this.warmupEnd) / (this.totalSteps - 1 - this.warmupEnd);
    return anneal(this.maxLr, this.minLr, Math.min(fraction, 1));
  }
}
