// expectClose: elementwise comparison with rtol/atol (numpy.isclose semantics:
// |actual - expected| <= atol + rtol * |expected|), reporting the worst element and where.
import { type StaticShape, type TensorData, formatShape, shapeSize, toNumberArray, unravelIndex } from '@efficientdl/ir';

export interface Tolerance {
  rtol?: number;
  atol?: number;
}

export interface CloseReport {
  ok: boolean;
  maxAbsDiff: number;
  maxRelDiff: number;
  worstIndex: number;
  message: string;
}

interface Comparable {
  shape: StaticShape;
  values: ArrayLike<number>;
}

function normalize(value: TensorData | Comparable | ArrayLike<number>): Comparable {
  if ('data' in value && 'dtype' in value) return { shape: value.shape, values: toNumberArray(value) };
  if ('values' in value && 'shape' in value) return value as Comparable;
  const values = value as ArrayLike<number>;
  return { shape: [values.length], values };
}

/** Compares two tensors/arrays; NaN matches NaN, infinities must match exactly. */
export function compareClose(
  actual: TensorData | Comparable | ArrayLike<number>,
  expected: TensorData | Comparable | ArrayLike<number>,
  tolerance: Tolerance = {},
): CloseReport {
  const rtol = tolerance.rtol ?? 1e-5;
  const atol = tolerance.atol ?? 1e-6;
  const a = normalize(actual);
  const e = normalize(expected);
  const shapeMatches = a.shape.length === e.shape.length && a.shape.every((dim, axis) => dim === e.shape[axis]);
  if (!shapeMatches) {
    return { ok: false, maxAbsDiff: Number.NaN, maxRelDiff: Number.NaN, worstIndex: -1, message: `shape ${formatShape(a.shape)} != expected ${formatShape(e.shape)}` };
  }
  let maxAbsDiff = 0;
  let maxRelDiff = 0;
  let worstIndex = -1;
  let worstExcess = 0;
  const count = shapeSize(e.shape);
  for (let index = 0; index < count; index++) {
    const x = a.values[index] as number;
    const y = e.values[index] as number;
    if (Number.isNaN(x) && Number.isNaN(y)) continue;
    if (x === y) continue;
    const diff = Math.abs(x - y);
    const allowed = atol + rtol * Math.abs(y);
    const relative = diff / Math.max(Math.abs(y), Number.MIN_VALUE);
    if (!(diff <= maxAbsDiff)) maxAbsDiff = diff;
    if (relative > maxRelDiff) maxRelDiff = relative;
    const excess = Number.isNaN(diff) ? Number.POSITIVE_INFINITY : diff - allowed;
    if (excess > worstExcess || (Number.isNaN(diff) && worstIndex < 0)) {
      worstExcess = excess;
      worstIndex = index;
    }
  }
  const ok = worstIndex < 0;
  const where = ok ? '' : ` worst at [${unravelIndex(worstIndex, e.shape).join(', ')}]: ${a.values[worstIndex]} vs expected ${e.values[worstIndex]}`;
  return {
    ok,
    maxAbsDiff,
    maxRelDiff,
    worstIndex,
    message: `max abs diff ${maxAbsDiff.toExponential(3)}, max rel diff ${maxRelDiff.toExponential(3)} (rtol ${rtol}, atol ${atol})${where}`,
  };
}

/** Throws an Error with the comparison report when values differ beyond tolerance. */
export function expectClose(
  actual: TensorData | Comparable | ArrayLike<number>,
  expected: TensorData | Comparable | ArrayLike<number>,
  tolerance: Tolerance = {},
): void {
  const report = compareClose(actual, expected, tolerance);
  if (!report.ok) throw new Error(`expectClose failed: ${report.message}`);
}
