// Validating the latency table against the backend: fit the table's scale on a few random
// subnets, then compare its predictions with whole-graph measurements of other random subnets
// (mean absolute percentage error), as once-for-all reports for its latency lookup tables.
import { Generator } from '@efficientdl/tensor';
import { type LatencyTable, type MeasureLatency, meanAbsolutePercentageError } from './latency-table.js';
import { type SearchSpace, largestSubnet, subnetKey } from './search-space.js';
import type { SubnetCostModel } from './subnet-graph.js';
import { sampleSubnet } from './subnet-sampling.js';

export interface LatencyCheckOptions {
  space: SearchSpace;
  table: LatencyTable;
  costs: SubnetCostModel;
  measure: MeasureLatency;
  /** Subnets compared (default 20). */
  subnets?: number;
  /** Other subnets the scale is fitted on (default 10; 0 keeps the scale). */
  calibrationSubnets?: number;
  seed?: number;
  onProgress?: (done: number, total: number) => void;
}

export interface LatencyCheck {
  mape: number;
  scale: number;
  /** Subnets the scale was fitted on (not among `pairs`). */
  calibrationSubnets: number;
  tableEntries: number;
  pairs: { key: string; predicted: number; measured: number }[];
}

export function checkLatencyPredictor(options: LatencyCheckOptions): LatencyCheck {
  const { space, table, costs, measure } = options;
  const rng = new Generator(options.seed ?? 0);
  measure(costs.graph(largestSubnet(space))); // warm the JIT up before the first table entries
  const calibration = options.calibrationSubnets ?? 10;
  if (calibration > 0) table.fitScale(Array.from({ length: calibration }, () => costs.graph(sampleSubnet(space, rng))));
  const count = options.subnets ?? 20;
  const pairs = Array.from({ length: count }, (_, index) => {
    const config = sampleSubnet(space, rng);
    const graph = costs.graph(config);
    const pair = { key: subnetKey(config), predicted: table.predict(graph), measured: measure(graph) };
    options.onProgress?.(index + 1, count);
    return pair;
  });
  return { mape: meanAbsolutePercentageError(pairs), scale: table.scale, calibrationSubnets: calibration, tableEntries: table.size, pairs };
}
