// Resize's interpolation taps for one output coordinate: nearest (one tap), linear (two taps)
// and cubic (four taps, coefficient A = cubic_coeff_a), optionally antialiased when downsampling
// (the filter is stretched by 1 / scale, so it covers 2 / scale or 4 / scale input samples), and
// exclude_outside (taps outside the input get weight 0, the rest are renormalized). Taps outside
// [0, inSize) otherwise read the edge sample.
// reference: https://onnx.ai/onnx/operators/onnx__Resize.html
import { nearestIndex } from './resize-coordinates.js';

export interface Tap {
  readonly index: number;
  readonly weight: number;
}

export interface FilterOptions {
  readonly mode: string;
  readonly nearestMode: string;
  readonly cubicCoefficient: number;
  readonly antialias: boolean;
  readonly excludeOutside: boolean;
}

/** Keys' cubic convolution kernel with parameter A. */
function cubicWeight(distance: number, a: number): number {
  const x = Math.abs(distance);
  if (x <= 1) return ((a + 2) * x - (a + 3)) * x * x + 1;
  if (x < 2) return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a;
  return 0;
}

function linearWeight(distance: number): number {
  return Math.max(0, 1 - Math.abs(distance));
}

/** Taps around `coordinate` for an axis of `inSize` samples resized by `scale`. */
export function filterTaps(coordinate: number, inSize: number, scale: number, options: FilterOptions): Tap[] {
  const last = inSize - 1;
  if (options.mode === 'nearest') return [{ index: Math.min(Math.max(nearestIndex(options.nearestMode, coordinate), 0), last), weight: 1 }];
  const cubic = options.mode === 'cubic';
  // The filter support is stretched by 1 / scale when antialiasing a downsample.
  const stretch = options.antialias ? Math.min(scale, 1) : 1;
  const radius = cubic ? 2 : 1;
  // base: the sample at or just left of the coordinate (ratio in (0, 1])
  const base = Math.ceil(coordinate) - 1;
  const ratio = coordinate - base;
  const first = Math.floor(-radius / stretch) + 1;
  const taps: Tap[] = [];
  for (let offset = first; offset <= 1 - first; offset++) {
    const distance = (offset - ratio) * stretch;
    const weight = cubic ? cubicWeight(distance, options.cubicCoefficient) : linearWeight(distance);
    const index = base + offset;
    const outside = index < 0 || index > last;
    taps.push({ index: Math.min(Math.max(index, 0), last), weight: options.excludeOutside && outside ? 0 : weight });
  }
  const total = taps.reduce((sum, tap) => sum + tap.weight, 0);
  return taps.map((tap) => ({ index: tap.index, weight: tap.weight / total }));
}
