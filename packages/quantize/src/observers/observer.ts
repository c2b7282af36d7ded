// The observer contract shared by every calibration observer: feed it batches of values with
// observe(), then ask computeRange() for the [min, max] to quantize with. NaN and ±Infinity are
// skipped and reported once per observer in `warnings`; an observer that never saw a finite value
// cannot choose a range (ConfigError).
import { ConfigError } from '@efficientdl/ir';

export type ObserverKind = 'minmax' | 'movingAverageMinMax' | 'percentile' | 'entropy' | 'mse';

export const OBSERVER_KINDS: readonly ObserverKind[] = ['minmax', 'movingAverageMinMax', 'percentile', 'entropy', 'mse'];

export interface ObservedRange {
  readonly min: number;
  readonly max: number;
}

export interface Observer {
  readonly kind: ObserverKind;
  /** Name of the observed tensor (used in warnings and errors). */
  readonly name: string;
  /** Adds one batch of values. */
  observe(values: ArrayLike<number>): void;
  /** The clip range to quantize with (before widening to include 0). */
  computeRange(): ObservedRange;
  /** Finite values seen so far. */
  readonly count: number;
  readonly warnings: readonly string[];
}

/** Finite-value bookkeeping: counts, batch min/max, and the one-time NaN/Inf warning. */
export class FiniteTracker {
  count = 0;
  private nonFinite = 0;
  private warned = false;
  readonly warnings: string[] = [];

  constructor(private readonly name: string) {}

  /** Min and max of the finite values of a batch (undefined when it has none). */
  batchRange(values: ArrayLike<number>): ObservedRange | undefined {
    let min = Number.POSITIVE_INFINITY;
    let max = Number.NEGATIVE_INFINITY;
    let skipped = 0;
    for (let index = 0; index < values.length; index++) {
      const value = values[index] as number;
      if (value - value !== 0) {
        skipped++; // NaN or ±Infinity
        continue;
      }
      if (value < min) min = value;
      if (value > max) max = value;
    }
    this.count += values.length - skipped;
    this.noteSkipped(skipped);
    return min <= max ? { min, max } : undefined;
  }

  private noteSkipped(skipped: number): void {
    if (skipped === 0) return;
    this.nonFinite += skipped;
    if (!this.warned) {
      this.warned = true;
      this.warnings.push(`'${this.name}': calibration data holds NaN or infinite values; they are ignored when choosing the range`);
    }
  }

  /** Throws ConfigError when nothing finite was observed. */
  requireData(kind: ObserverKind): void {
    if (this.count > 0) return;
    const reason = this.nonFinite > 0 ? `only NaN / infinite values (${this.nonFinite})` : 'no values';
    throw new ConfigError(`${kind} observer for '${this.name}' saw ${reason}; calibration needs at least one finite value`, {
      tensor: this.name,
      observer: kind,
    });
  }
}
