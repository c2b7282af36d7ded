// Engines must compute the same thing before their times are compared: each engine's main output
// is checked against the first engine's (worst |difference| relative to the reference's largest
// |value|; integer outputs must match exactly). A disagreement is an error, not a table row.
import { ConfigError, type TensorData, formatShape, toNumberArray } from '@efficientdl/ir';

/** Worst |a − b| over max |b| (0 when both are all zeros). */
export function relativeDifference(actual: TensorData, reference: TensorData): number {
  const a = toNumberArray(actual);
  const b = toNumberArray(reference);
  let worst = 0;
  let scale = 0;
  for (let index = 0; index < b.length; index++) {
    worst = Math.max(worst, Math.abs((a[index] as number) - (b[index] as number)));
    scale = Math.max(scale, Math.abs(b[index] as number));
  }
  return scale === 0 ? worst : worst / scale;
}

export function checkAgreement(options: { workload: string; engine: string; referenceEngine: string; actual: TensorData; reference: TensorData }): number {
  const { workload, engine, referenceEngine, actual, reference } = options;
  const sameShape = actual.shape.length === reference.shape.length && actual.shape.every((dim, axis) => dim === reference.shape[axis]);
  if (!sameShape || actual.dtype !== reference.dtype) {
    throw new ConfigError(
      `bench ${workload}: ${engine} returned ${actual.dtype}${formatShape(actual.shape)}, ${referenceEngine} ${reference.dtype}${formatShape(reference.shape)}`,
      { workload, engine },
    );
  }
  const difference = relativeDifference(actual, reference);
  const tolerance = actual.dtype.startsWith('float') ? 1e-3 : 0;
  if (difference > tolerance) {
    throw new ConfigError(`bench ${workload}: ${engine} differs from ${referenceEngine} by ${difference.toExponential(2)} (relative, tolerance ${tolerance})`, {
      workload,
      engine,
    });
  }
  return difference;
}
