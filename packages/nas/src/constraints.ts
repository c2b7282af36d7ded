// Deployment constraints of the search (MCUNet-style budgets at int8): peak activation memory,
// weight storage and latency. A constraint that not even the smallest subnet meets is a
// ConfigError stating the smallest achievable values (every cost is smallest at the smallest subnet).
import { ConfigError } from '@efficientdl/ir';
import { type SearchSpace, type SubnetConfig, smallestSubnet } from './search-space.js';
import type { SubnetFigures } from './subnet-graph.js';

export interface Constraints {
  /** Int8 peak activation bytes (cost model, batch 1). */
  maxPeakActivationBytes?: number;
  /** Int8 weight bytes. */
  maxWeightBytes?: number;
  /** Predicted latency in ms. */
  maxLatencyMs?: number;
}

/** Human-readable byte count in KB (1 KB = 1024 bytes). */
export function formatKilobytes(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KB`;
}

/** The constraints `figures` breaks, as phrases ("int8 peak activation 70.2 KB > 64.0 KB"). */
export function constraintViolations(figures: SubnetFigures, constraints: Constraints): string[] {
  const broken: string[] = [];
  if (constraints.maxPeakActivationBytes !== undefined && figures.peakActivationBytes > constraints.maxPeakActivationBytes) {
    broken.push(`int8 peak activation ${formatKilobytes(figures.peakActivationBytes)} > ${formatKilobytes(constraints.maxPeakActivationBytes)}`);
  }
  if (constraints.maxWeightBytes !== undefined && figures.weightBytes > constraints.maxWeightBytes) {
    broken.push(`int8 weights ${formatKilobytes(figures.weightBytes)} > ${formatKilobytes(constraints.maxWeightBytes)}`);
  }
  if (constraints.maxLatencyMs !== undefined) {
    const latency = figures.latencyMs;
    if (latency === undefined) throw new ConfigError('a latency constraint needs a latency predictor (figures without latencyMs)');
    if (latency > constraints.maxLatencyMs) broken.push(`latency ${latency.toFixed(2)} ms > ${constraints.maxLatencyMs} ms`);
  }
  return broken;
}

export function satisfies(figures: SubnetFigures, constraints: Constraints): boolean {
  return constraintViolations(figures, constraints).length === 0;
}

/** Throws ConfigError when no subnet of the space can meet the constraints. */
export function checkFeasible(options: { space: SearchSpace; figures: (config: SubnetConfig) => SubnetFigures; constraints: Constraints }): void {
  const smallest = options.figures(smallestSubnet(options.space));
  const broken = constraintViolations(smallest, options.constraints);
  if (broken.length === 0) return;
  const achievable = [
    `int8 peak activation ${formatKilobytes(smallest.peakActivationBytes)}`,
    `int8 weights ${formatKilobytes(smallest.weightBytes)}`,
    ...(smallest.latencyMs !== undefined ? [`latency ${smallest.latencyMs.toFixed(2)} ms`] : []),
  ];
  throw new ConfigError(
    `no subnet of the search space meets the constraints: even the smallest subnet has ${broken.join(', ')}; smallest achievable: ${achievable.join(', ')}`,
    { smallest: { ...smallest }, constraints: { ...options.constraints } },
  );
}
