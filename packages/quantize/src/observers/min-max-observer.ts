// Min/max observers: the running extremes of every batch (minmax), or an exponential moving
// average of per-batch extremes (movingAverageMinMax, PyTorch's MovingAverageMinMaxObserver:
// range ← range + c · (batch − range), the first batch taken as is).
import { ConfigError } from '@efficientdl/ir';
import { FiniteTracker, type ObservedRange, type Observer, type ObserverKind } from './observer.js';

export class MinMaxObserver implements Observer {
  readonly kind: ObserverKind = 'minmax';
  private readonly tracker: FiniteTracker;
  private min = Number.POSITIVE_INFINITY;
  private max = Number.NEGATIVE_INFINITY;

  constructor(readonly name: string) {
    this.tracker = new FiniteTracker(name);
  }

  get count(): number {
    return this.tracker.count;
  }

  get warnings(): readonly string[] {
    return this.tracker.warnings;
  }

  observe(values: ArrayLike<number>): void {
    const batch = this.tracker.batchRange(values);
    if (!batch) return;
    this.min = Math.min(this.min, batch.min);
    this.max = Math.max(this.max, batch.max);
  }

  computeRange(): ObservedRange {
    this.tracker.requireData(this.kind);
    return { min: this.min, max: this.max };
  }
}

export interface MovingAverageOptions {
  /** Weight c of each new batch, in (0, 1]. Default 0.01. */
  averagingConstant?: number;
}

export class MovingAverageMinMaxObserver implements Observer {
  readonly kind: ObserverKind = 'movingAverageMinMax';
  private readonly tracker: FiniteTracker;
  private readonly averagingConstant: number;
  private range: ObservedRange | undefined;

  constructor(readonly name: string, options: MovingAverageOptions = {}) {
    this.tracker = new FiniteTracker(name);
    this.averagingConstant = options.averagingConstant ?? 0.01;
    if (!(this.averagingConstant > 0 && this.averagingConstant <= 1)) {
      throw new ConfigError(`averagingConstant must be in (0, 1], got ${options.averagingConstant}`, { averagingConstant: options.averagingConstant });
    }
  }

  get count(): number {
    return this.tracker.count;
  }

  get warnings(): readonly string[] {
    return this.tracker.warnings;
  }

  observe(values: ArrayLike<number>): void {
    const batch = this.tracker.batchRange(values);
    if (!batch) return;
    const previous = this.range;
    const c = this.averagingConstant;
    this.range = previous
      ? { min: previous.min + c * (batch.min - previous.min), max: previous.max + c * (batch.max - previous.max) }
      : batch;
  }

  computeRange(): ObservedRange {
    this.tracker.requireData(this.kind);
    return this.range as ObservedRange;
  }
}
