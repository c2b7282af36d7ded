// Histogram-based observers: percentile (clip at the p-th and (100 − p)-th percentiles), entropy
// (TensorRT KL calibration) and mse (minimum expected quantization error). All of them keep only
// a StreamingHistogram of `bins` counts, never the activations themselves.
import { ConfigError } from '@efficientdl/ir';
import type { QuantDType } from '../primitives/quant-dtype.js';
import { entropyClip, mseClip } from './clip-search.js';
import { FiniteTracker, type ObservedRange, type Observer, type ObserverKind } from './observer.js';
import { StreamingHistogram, histogramQuantile } from './streaming-histogram.js';

export interface HistogramObserverOptions {
  /** Histogram bins (even; default 2048). */
  bins?: number;
  /** percentile: the upper percentile kept, in (0, 100] (default 99.99). */
  percentile?: number;
  /** entropy / mse: the dtype the tensor will be quantized to (default uint8). */
  dtype?: QuantDType;
  /** entropy / mse: whether it will be quantized symmetrically (default false). */
  symmetric?: boolean;
}

export type HistogramObserverKind = Extract<ObserverKind, 'percentile' | 'entropy' | 'mse'>;

export class HistogramObserver implements Observer {
  private readonly tracker: FiniteTracker;
  readonly histogram: StreamingHistogram;
  private readonly options: HistogramObserverOptions;

  constructor(
    readonly kind: HistogramObserverKind,
    readonly name: string,
    options: HistogramObserverOptions = {},
  ) {
    this.tracker = new FiniteTracker(name);
    this.options = options;
    const bins = options.bins ?? 2048;
    if (!Number.isInteger(bins) || bins < 2 || bins % 2 !== 0) {
      throw new ConfigError(`${kind} observer: bins must be an even integer ≥ 2, got ${bins}`, { bins });
    }
    const percentile = options.percentile ?? 99.99;
    if (!(percentile > 0 && percentile <= 100)) {
      throw new ConfigError(`percentile observer: percentile must be in (0, 100], got ${percentile}`, { percentile });
    }
    this.histogram = new StreamingHistogram(bins);
  }

  get count(): number {
    return this.tracker.count;
  }

  get warnings(): readonly string[] {
    return this.tracker.warnings;
  }

  observe(values: ArrayLike<number>): void {
    const batch = this.tracker.batchRange(values);
    if (batch) this.histogram.add(values, batch.min, batch.max);
  }

  computeRange(): ObservedRange {
    this.tracker.requireData(this.kind);
    const histogram = this.histogram;
    if (histogram.max === histogram.min) return { min: histogram.min, max: histogram.max };
    const dtype = this.options.dtype ?? 'uint8';
    const symmetric = this.options.symmetric ?? false;
    switch (this.kind) {
      case 'percentile': {
        const upper = (this.options.percentile ?? 99.99) / 100;
        return { min: histogramQuantile(histogram, 1 - upper), max: histogramQuantile(histogram, upper) };
      }
      case 'entropy':
        return entropyClip(histogram, { dtype, symmetric });
      case 'mse':
        return mseClip(histogram, { dtype, symmetric });
    }
  }
}
