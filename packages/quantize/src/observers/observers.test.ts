// Observers: hand-computed ranges, NaN/Inf handling, empty input, the streaming histogram's
// bounded memory and exact re-binning, and clip searches that land inside the data range.
import { ConfigError } from '@efficientdl/ir';
import { Generator } from '@efficientdl/tensor';
import { describe, expect, it } from 'vitest';
import { chooseQuantParams } from '../primitives/choose-params.js';
import { HistogramObserver, MovingAverageMinMaxObserver, StreamingHistogram, createObserver, histogramQuantile } from './index.js';

function gaussian(count: number, seed: number, sigma = 1): Float32Array {
  const generator = new Generator(seed);
  const values = new Float32Array(count);
  for (let index = 0; index < count; index += 2) {
    const radius = Math.sqrt(-2 * Math.log(1 - generator.random()));
    const angle = 2 * Math.PI * generator.random();
    values[index] = sigma * radius * Math.cos(angle);
    if (index + 1 < count) values[index + 1] = sigma * radius * Math.sin(angle);
  }
  return values;
}

describe('min/max observers', () => {
  it('minmax keeps the extremes of all batches', () => {
    const observer = createObserver('minmax', 'x');
    observer.observe([1, -2, 3]);
    observer.observe([0.5, 7]);
    expect(observer.computeRange()).toEqual({ min: -2, max: 7 });
    expect(observer.count).toBe(5);
  });
  it('moving average follows range ← range + c · (batch − range)', () => {
    const observer = new MovingAverageMinMaxObserver('x', { averagingConstant: 0.5 });
    observer.observe([0, 4]);
    observer.observe([-2, 8]);
    expect(observer.computeRange()).toEqual({ min: -1, max: 6 });
    expect(() => new MovingAverageMinMaxObserver('x', { averagingConstant: 0 })).toThrow(ConfigError);
  });
  it('ignores NaN / Infinity with a single warning', () => {
    for (const kind of ['minmax', 'movingAverageMinMax', 'percentile', 'entropy', 'mse'] as const) {
      const observer = createObserver(kind, 'act');
      observer.observe([Number.NaN, 1, Number.POSITIVE_INFINITY, 2]);
      observer.observe([Number.NEGATIVE_INFINITY, 1.5, 3]);
      const range = observer.computeRange();
      expect(Number.isFinite(range.min) && Number.isFinite(range.max)).toBe(true);
      expect(range.max).toBeLessThanOrEqual(3);
      expect(observer.warnings).toHaveLength(1);
      expect(observer.warnings[0]).toContain("'act'");
    }
  });
  it('throws ConfigError with no data or only non-finite data', () => {
    for (const kind of ['minmax', 'movingAverageMinMax', 'percentile', 'entropy', 'mse'] as const) {
      expect(() => createObserver(kind, 'x').computeRange()).toThrow(ConfigError);
      const nan = createObserver(kind, 'x');
      nan.observe([Number.NaN]);
      expect(() => nan.computeRange()).toThrow(/only NaN/);
    }
    expect(() => createObserver({ kind: 'nope' } as never, 'x')).toThrow(ConfigError);
  });
  it('constant data gives a degenerate range that still quantizes with a non-zero scale', () => {
    for (const kind of ['minmax', 'percentile', 'entropy', 'mse'] as const) {
      const observer = createObserver(kind, 'x');
      observer.observe(new Float32Array(100).fill(2.5));
      const range = observer.computeRange();
      expect(range).toEqual({ min: 2.5, max: 2.5 });
      expect(chooseQuantParams({ ...range, dtype: 'uint8', symmetric: false }).scale).toBe(Math.fround(2.5 / 255));
    }
  });
});

describe('StreamingHistogram', () => {
  it('keeps a fixed number of bins while the range grows, re-binning exactly', () => {
    const histogram = new StreamingHistogram(64);
    const all: number[] = [];
    for (let batch = 0; batch < 12; batch++) {
      const values = Array.from(gaussian(1000, batch + 1, 2 ** (batch / 2)));
      histogram.add(values, Math.min(...values), Math.max(...values));
      all.push(...values);
    }
    expect(histogram.counts.length).toBe(64);
    expect(histogram.rebinCount).toBeGreaterThan(0);
    expect(histogram.total).toBe(all.length);
    // the same values binned directly at the final origin / width
    const direct = new Float64Array(64);
    for (const value of all) direct[Math.min(63, Math.floor((value - histogram.origin) / histogram.width))]! += 1;
    const differences = Array.from(histogram.counts).map((count, bin) => Math.abs(count - (direct[bin] as number)));
    // merged counts equal direct binning, up to a value sitting on a bin edge (float rounding)
    expect(differences.reduce((total, difference) => total + difference, 0)).toBeLessThanOrEqual(2);
  });
  it('quantiles interpolate within bins', () => {
    const histogram = new StreamingHistogram(100);
    const values = Array.from({ length: 1001 }, (_, index) => index / 1000); // uniform on [0, 1]
    histogram.add(values, 0, 1);
    expect(histogramQuantile(histogram, 0.5)).toBeCloseTo(0.5, 2);
    expect(histogramQuantile(histogram, 0.99)).toBeCloseTo(0.99, 2);
    expect(histogramQuantile(histogram, 1)).toBe(1);
  });
});

describe('clip searches', () => {
  // Gaussian activations (σ = 1) with a handful of large outliers
  const values = gaussian(50_000, 7);
  values[0] = 40;
  values[1] = -35;
  for (const kind of ['percentile', 'entropy', 'mse'] as const) {
    it(`${kind} clips the outliers but keeps the bulk of the distribution`, () => {
      const observer = new HistogramObserver(kind, 'x', { dtype: 'int8', symmetric: true });
      for (let start = 0; start < values.length; start += 5000) observer.observe(values.subarray(start, start + 5000));
      const range = observer.computeRange();
      expect(range.max).toBeLessThan(40);
      expect(range.min).toBeGreaterThan(-35);
      expect(range.max).toBeGreaterThan(2.5);
      expect(range.min).toBeLessThan(-2.5);
    });
  }
  it('entropy and mse keep 0 as the lower end of one-signed (post-ReLU) data', () => {
    const relu = gaussian(20_000, 9).map(Math.abs);
    relu[5] = 30;
    for (const kind of ['entropy', 'mse'] as const) {
      const observer = new HistogramObserver(kind, 'relu', { dtype: 'uint8' });
      observer.observe(relu);
      const range = observer.computeRange();
      expect(range.min).toBe(0);
      expect(range.max).toBeGreaterThan(2.5);
      expect(range.max).toBeLessThan(30);
    }
  });
  it('rejects bad histogram settings', () => {
    expect(() => new HistogramObserver('percentile', 'x', { bins: 7 })).toThrow(ConfigError);
    expect(() => new HistogramObserver('percentile', 'x', { percentile: 0 })).toThrow(ConfigError);
  });
});
