// Summary statistics of a tensor for `efficientdl run`: min, max and mean over all elements
// (NaN propagates, as in numpy), computed in float64.
import { type TensorData, readNumber, shapeSize } from '@efficientdl/ir';

export interface TensorStats {
  min: number;
  max: number;
  mean: number;
  /** Elements; 0 means min/max/mean are NaN. */
  count: number;
}

export function tensorStats(tensor: TensorData): TensorStats {
  const count = shapeSize(tensor.shape);
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let sum = 0;
  let sawNaN = false;
  for (let index = 0; index < count; index++) {
    const value = readNumber(tensor, index);
    if (Number.isNaN(value)) sawNaN = true;
    if (value < min) min = value;
    if (value > max) max = value;
    sum += value;
  }
  if (count === 0 || sawNaN) return { min: Number.NaN, max: Number.NaN, mean: Number.NaN, count };
  return { min, max, mean: sum / count, count };
}

/** Six significant digits, trimmed ("0.5", "1.23457e-7"). */
export function formatStat(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value) && Math.abs(value) < 1e15) return String(value);
  return String(Number(value.toPrecision(6)));
}
