// A fixed-size histogram fed batch by batch, memory bounded by its bin count. The first batch
// sets the range; when a later batch falls outside, the bin width doubles (pairs of bins merge
// exactly, the old range becoming the left or right half) until the range covers it, so no
// count is ever smeared and nothing but the bins is kept.

export interface HistogramView {
  /** Counts per bin (length = bins). */
  readonly counts: Float64Array;
  /** Left edge of bin 0. */
  readonly origin: number;
  readonly width: number;
  /** Exact extremes of the finite values added. */
  readonly min: number;
  readonly max: number;
  readonly total: number;
}

export class StreamingHistogram implements HistogramView {
  readonly counts: Float64Array;
  origin = 0;
  width = 0;
  min = Number.POSITIVE_INFINITY;
  max = Number.NEGATIVE_INFINITY;
  total = 0;
  /** How many times the bins were merged to widen the range (for tests and diagnostics). */
  rebinCount = 0;

  constructor(readonly bins: number) {
    if (!Number.isInteger(bins) || bins < 2 || bins % 2 !== 0) throw new RangeError(`histogram bins must be an even integer ≥ 2, got ${bins}`);
    this.counts = new Float64Array(bins);
  }

  /** Adds the finite values of a batch whose finite extremes are [low, high]. */
  add(values: ArrayLike<number>, low: number, high: number): void {
    if (this.total === 0) this.start(low, high);
    else this.cover(low, high);
    this.min = Math.min(this.min, low);
    this.max = Math.max(this.max, high);
    const { counts, origin, bins } = this;
    const inverse = 1 / this.width;
    for (let index = 0; index < values.length; index++) {
      const value = values[index] as number;
      if (value - value !== 0) continue;
      let bin = Math.floor((value - origin) * inverse);
      if (bin >= bins) bin = bins - 1;
      else if (bin < 0) bin = 0;
      counts[bin] = (counts[bin] as number) + 1;
      this.total++;
    }
  }

  private start(low: number, high: number): void {
    let span = high - low;
    // a constant batch still needs bins of non-zero width
    if (!(span > 0)) span = Math.max(Math.abs(low), 1) * 1e-6;
    this.origin = low;
    this.width = span / this.bins;
  }

  private cover(low: number, high: number): void {
    while (low < this.origin || high > this.origin + this.width * this.bins) {
      const growLeft = low < this.origin;
      this.rebin(growLeft);
    }
  }

  /** Doubles the bin width; growLeft puts the old range in the right half of the new one. */
  private rebin(growLeft: boolean): void {
    const { counts, bins } = this;
    const merged = new Float64Array(bins);
    const offset = growLeft ? bins : 0;
    for (let bin = 0; bin < bins; bin++) merged[(bin + offset) >> 1] = (merged[(bin + offset) >> 1] as number) + (counts[bin] as number);
    counts.set(merged);
    if (growLeft) this.origin -= this.width * bins;
    this.width *= 2;
    this.rebinCount++;
  }
}

/** Value below which a fraction `q` of the histogram's mass lies (linear within a bin). */
export function histogramQuantile(histogram: HistogramView, q: number): number {
  const { counts, origin, width, total } = histogram;
  const target = Math.min(Math.max(q, 0), 1) * total;
  let cumulative = 0;
  for (let bin = 0; bin < counts.length; bin++) {
    const count = counts[bin] as number;
    if (count > 0 && cumulative + count >= target) {
      const inside = (target - cumulative) / count;
      const value = origin + (bin + inside) * width;
      return Math.min(Math.max(value, histogram.min), histogram.max);
    }
    cumulative += count;
  }
  return histogram.max;
}
