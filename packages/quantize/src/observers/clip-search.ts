// Clip-range searches on a calibration histogram. Candidates shrink the zero-including data range
// [min0, max0] = [min(min, 0), max(max, 0)] proportionally: [t·min0, t·max0], t ∈ (0, 1], so
// one-signed data (post-ReLU) keeps 0 as its lower end and mixed-sign data keeps its balance.
//   entropy: TensorRT's calibration — the reference distribution P is the histogram inside the
//            clip with the outliers added to the edge bins; the candidate Q re-quantizes the
//            unclipped inside counts to `levels` levels (each level's mass spread evenly over its
//            non-empty bins); the clip with the smallest KL(P ‖ Q) wins.
//   mse:     the expected squared error of quantizing the histogram with the candidate's
//            parameters: uniform rounding noise step²/12 inside the representable range, squared
//            distance to the nearest bound outside it.
// reference: Migacz, "8-bit Inference with TensorRT" (GTC 2017)
import { chooseQuantParams } from '../primitives/choose-params.js';
import type { QuantDType } from '../primitives/quant-dtype.js';
import { quantRange } from '../primitives/quant-dtype.js';
import type { ObservedRange } from './observer.js';
import type { HistogramView } from './streaming-histogram.js';

export interface ClipSearchOptions {
  dtype: QuantDType;
  symmetric: boolean;
  /** How many candidate clips to try (default 256). */
  candidates?: number;
}

/** The zero-including data range and the candidate fractions t. */
function candidateFractions(histogram: HistogramView, options: ClipSearchOptions): number[] {
  const count = options.candidates ?? 256;
  const [qmin, qmax] = quantRange(options.dtype);
  const levels = qmax - qmin + 1;
  // a clip narrower than `levels` histogram bins cannot be judged on this histogram
  const span = Math.max(histogram.max, 0) - Math.min(histogram.min, 0);
  const smallest = Math.min(1, (levels * histogram.width) / Math.max(span, Number.MIN_VALUE));
  const fractions: number[] = [];
  for (let step = 0; step < count; step++) fractions.push(smallest + ((1 - smallest) * step) / Math.max(count - 1, 1));
  return fractions;
}

function clipOf(histogram: HistogramView, fraction: number): ObservedRange {
  return { min: Math.min(histogram.min, 0) * fraction, max: Math.max(histogram.max, 0) * fraction };
}

/** Picks the candidate with the lowest score (ties → the widest clip). */
function searchClip(histogram: HistogramView, options: ClipSearchOptions, score: (clip: ObservedRange) => number): ObservedRange {
  let best = clipOf(histogram, 1);
  let bestScore = Number.POSITIVE_INFINITY;
  for (const fraction of candidateFractions(histogram, options).reverse()) {
    const clip = clipOf(histogram, fraction);
    if (clip.max - clip.min <= 0) continue;
    const value = score(clip);
    if (value < bestScore) {
      bestScore = value;
      best = clip;
    }
  }
  return best;
}

/** KL(P ‖ Q) of one candidate clip (TensorRT's procedure on real-valued level boundaries). */
function klDivergence(histogram: HistogramView, clip: ObservedRange, levels: number): number {
  const { counts, origin, width } = histogram;
  const bins = counts.length;
  const first = Math.min(bins - 1, Math.max(0, Math.floor((clip.min - origin) / width)));
  const last = Math.min(bins - 1, Math.max(first, Math.ceil((clip.max - origin) / width) - 1));
  const step = (clip.max - clip.min) / levels;
  const levelSums = new Float64Array(levels);
  const levelBins = new Float64Array(levels);
  const levelOf = (bin: number) => Math.min(levels - 1, Math.max(0, Math.floor((origin + (bin + 0.5) * width - clip.min) / step)));
  for (let bin = first; bin <= last; bin++) {
    const count = counts[bin] as number;
    if (count === 0) continue;
    const level = levelOf(bin);
    levelSums[level] = (levelSums[level] as number) + count;
    levelBins[level] = (levelBins[level] as number) + 1;
  }
  let below = 0;
  let above = 0;
  for (let bin = 0; bin < first; bin++) below += counts[bin] as number;
  for (let bin = last + 1; bin < bins; bin++) above += counts[bin] as number;
  const total = histogram.total;
  let divergence = 0;
  for (let bin = first; bin <= last; bin++) {
    const inside = counts[bin] as number;
    const p = (inside + (bin === first ? below : 0) + (bin === last ? above : 0)) / total;
    if (p === 0) continue;
    const level = levelOf(bin);
    // Q: the level's unclipped mass spread over its non-empty bins; empty bins get a small floor
    const q = inside > 0 ? (levelSums[level] as number) / (levelBins[level] as number) / total : 1e-4 / total;
    divergence += p * Math.log(p / q);
  }
  return divergence;
}

/** Expected quantization MSE of the histogram under the candidate clip's parameters. */
function quantizationError(histogram: HistogramView, clip: ObservedRange, options: ClipSearchOptions): number {
  const params = chooseQuantParams({ min: clip.min, max: clip.max, dtype: options.dtype, symmetric: options.symmetric });
  const [qmin, qmax] = quantRange(options.dtype);
  const low = (qmin - params.zeroPoint) * params.scale;
  const high = (qmax - params.zeroPoint) * params.scale;
  const noise = (params.scale * params.scale) / 12;
  const { counts, origin, width } = histogram;
  let error = 0;
  for (let bin = 0; bin < counts.length; bin++) {
    const count = counts[bin] as number;
    if (count === 0) continue;
    const center = origin + (bin + 0.5) * width;
    const outside = center < low ? low - center : center > high ? center - high : 0;
    error += count * (outside > 0 ? outside * outside : noise);
  }
  return error / histogram.total;
}

/** TensorRT-style entropy calibration: the clip minimizing KL divergence. */
export function entropyClip(histogram: HistogramView, options: ClipSearchOptions): ObservedRange {
  const [qmin, qmax] = quantRange(options.dtype);
  return searchClip(histogram, options, (clip) => klDivergence(histogram, clip, qmax - qmin + 1));
}

/** The clip minimizing the expected quantization MSE. */
export function mseClip(histogram: HistogramView, options: ClipSearchOptions): ObservedRange {
  return searchClip(histogram, options, (clip) => quantizationError(histogram, clip, options));
}
