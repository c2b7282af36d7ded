// Output comparison for conformance runs: numpy.isclose semantics, |actual - expected| <= atol +
// rtol * |expected|, NaN equal to NaN, infinities exact; dtype and shape must match. Defaults are
// the ONNX backend-test tolerances (onnx/backend/test/runner: rtol 1e-3, atol 1e-7).
import { type DType, type TensorData, formatShape, isFloatDType, readNumber, shapeSize, unravelIndex } from '@efficientdl/ir';

export interface Tolerance {
  rtol: number;
  atol: number;
}

export const ONNX_TOLERANCE: Tolerance = { rtol: 1e-3, atol: 1e-7 };

/** An element for messages: float32/16 at 7 significant digits (1.51, not 1.5099999904632568). */
function formatElement(value: number, dtype: DType): string {
  if (dtype === 'float64' || !isFloatDType(dtype) || !Number.isFinite(value)) return String(value);
  return String(Number(value.toPrecision(7)));
}

/** undefined when `actual` matches `expected`; otherwise a one-line reason naming the worst element. */
export function compareTensors(actual: TensorData, expected: TensorData, tolerance: Tolerance = ONNX_TOLERANCE): string | undefined {
  if (actual.dtype !== expected.dtype) return `dtype ${actual.dtype}, expected ${expected.dtype}`;
  const sameShape = actual.shape.length === expected.shape.length && actual.shape.every((dim, axis) => dim === expected.shape[axis]);
  if (!sameShape) return `shape ${formatShape(actual.shape)}, expected ${formatShape(expected.shape)}`;
  let worstIndex = -1;
  let worstExcess = 0;
  let mismatches = 0;
  const count = shapeSize(expected.shape);
  for (let index = 0; index < count; index++) {
    const x = readNumber(actual, index);
    const y = readNumber(expected, index);
    if (x === y || (Number.isNaN(x) && Number.isNaN(y))) continue;
    const excess = Math.abs(x - y) - (tolerance.atol + tolerance.rtol * Math.abs(y));
    if (!(excess <= 0)) {
      mismatches++;
      const size = Number.isNaN(excess) ? Number.POSITIVE_INFINITY : excess;
      if (worstIndex < 0 || size > worstExcess) {
        worstIndex = index;
        worstExcess = size;
      }
    }
  }
  if (worstIndex < 0) return undefined;
  const where = unravelIndex(worstIndex, expected.shape).join(', ');
  return `${mismatches} of ${count} elements differ beyond rtol ${tolerance.rtol}, atol ${tolerance.atol}; worst at [${where}]: ${formatElement(readNumber(actual, worstIndex), actual.dtype)} vs expected ${formatElement(readNumber(expected, worstIndex), expected.dtype)}`;
}
