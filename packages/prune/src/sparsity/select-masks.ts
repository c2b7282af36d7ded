// Turns element scores into keep-masks (1 = keep, 0 = prune; storage order of each weight):
//  - groups by granularity: element, kernel (kH·kW of one (output, input) channel pair), block
//    (rows × cols tiles of the (outputs, reduction) view; edge tiles are smaller); a group's score
//    is the mean of its elements' scores, and a group is pruned or kept as a whole;
//  - per layer: the lowest-scoring groups until round(ratio · elements) weights are pruned (exact
//    for elements; whole groups otherwise, the last one taken if at least half of it fits);
//  - global: the same over the pooled groups of every participating layer, one shared threshold;
//  - n:m: in every row, each run of m consecutive reduction columns keeps its n best weights.
// Ties break by position (earlier layers, groups and columns are pruned first), so masks are deterministic.
import { type PrunableWeight, storageIndex } from './prunable-weights.js';
import type { NmPattern } from './sparsity-config.js';

export type GroupGranularity = { kind: 'element' } | { kind: 'kernel' } | { kind: 'block'; rows: number; cols: number };

/** Group id of every storage element, plus group count and sizes. */
export interface Grouping {
  readonly groupOf: Int32Array;
  readonly sizes: Int32Array;
}

export function groupWeight(weight: PrunableWeight, granularity: GroupGranularity): Grouping {
  const size = weight.tensor.size;
  const groupOf = new Int32Array(size);
  if (granularity.kind === 'element') groupOf.forEach((_, index) => (groupOf[index] = index));
  else if (granularity.kind === 'kernel') groupOf.forEach((_, index) => (groupOf[index] = Math.floor(index / weight.kernelVolume)));
  else {
    const blocksPerRow = Math.ceil(weight.cols / granularity.cols);
    for (let row = 0; row < weight.rows; row++) {
      for (let col = 0; col < weight.cols; col++) {
        groupOf[storageIndex(weight, row, col)] = Math.floor(row / granularity.rows) * blocksPerRow + Math.floor(col / granularity.cols);
      }
    }
  }
  let count = 0;
  for (const group of groupOf) count = Math.max(count, group + 1);
  const sizes = new Int32Array(count);
  for (const group of groupOf) sizes[group] = (sizes[group] as number) + 1;
  return { groupOf, sizes };
}

/** Mean element score per group. */
export function groupScores(grouping: Grouping, scores: Float64Array): Float64Array {
  const sums = new Float64Array(grouping.sizes.length);
  grouping.groupOf.forEach((group, index) => {
    sums[group] = (sums[group] as number) + (scores[index] as number);
  });
  return sums.map((sum, group) => sum / (grouping.sizes[group] as number));
}

/** One layer's groups in the selection pool. */
export interface PoolLayer {
  readonly grouping: Grouping;
  readonly scores: Float64Array;
}

/**
 * Prunes the lowest-scoring groups of the pooled layers until `ratio` of their elements are pruned;
 * returns per layer the pruned flags per group and the threshold (score of the last pruned group).
 */
export function selectLowest(layers: readonly PoolLayer[], ratio: number): { pruned: Uint8Array[]; threshold: number | undefined } {
  const entries: { layer: number; group: number }[] = [];
  let elements = 0;
  layers.forEach((layer, layerIndex) => {
    elements += layer.grouping.groupOf.length;
    for (let group = 0; group < layer.scores.length; group++) entries.push({ layer: layerIndex, group });
  });
  const scoreOf = (entry: { layer: number; group: number }) => (layers[entry.layer] as PoolLayer).scores[entry.group] as number;
  entries.sort((a, b) => scoreOf(a) - scoreOf(b) || a.layer - b.layer || a.group - b.group);
  const target = Math.round(ratio * elements);
  const pruned = layers.map((layer) => new Uint8Array(layer.scores.length));
  let count = 0;
  let threshold: number | undefined;
  for (const entry of entries) {
    const size = (layers[entry.layer] as PoolLayer).grouping.sizes[entry.group] as number;
    if (count + size / 2 > target) break;
    (pruned[entry.layer] as Uint8Array)[entry.group] = 1;
    count += size;
    threshold = scoreOf(entry);
  }
  return { pruned, threshold };
}

/** Keep-mask of a weight from its grouping and pruned-group flags. */
export function maskFromGroups(grouping: Grouping, prunedGroups: Uint8Array): Uint8Array {
  return Uint8Array.from(grouping.groupOf, (group) => (prunedGroups[group] ? 0 : 1));
}

/** Keep-mask with the n best of every m consecutive reduction columns of each row. */
export function nmMask(weight: PrunableWeight, scores: Float64Array, pattern: NmPattern): Uint8Array {
  const mask = new Uint8Array(weight.tensor.size);
  for (let row = 0; row < weight.rows; row++) {
    for (let start = 0; start < weight.cols; start += pattern.m) {
      const group = Array.from({ length: Math.min(pattern.m, weight.cols - start) }, (_, offset) => storageIndex(weight, row, start + offset));
      // best first; among equal scores the later column is kept (earlier ones are pruned first)
      const ranked = group.map((index, position) => ({ index, position })).sort((a, b) => (scores[b.index] as number) - (scores[a.index] as number) || b.position - a.position);
      for (const { index } of ranked.slice(0, pattern.n)) mask[index] = 1;
    }
  }
  return mask;
}
