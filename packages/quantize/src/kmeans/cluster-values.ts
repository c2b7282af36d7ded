// One-dimensional k-means (Lloyd's algorithm) for weight sharing, as in Deep Compression
// (Han et al., 2016, §3): centroids start LINEARLY spaced between the min and max of the
// clustered values (the initialisation the paper found best: it keeps the rare large weights),
// then alternate nearest-centroid assignment and centroid = mean of its members until no
// assignment changes. Values excluded by `keep` (already-pruned weights) are not clustered.
// reference: https://arxiv.org/abs/1510.00149
import { ConfigError } from '@efficientdl/ir';

export interface ClusterOptions {
  /** Number of centroids (2^bits). */
  clusters: number;
  /** Maximum Lloyd iterations (default 30). */
  iterations?: number;
  /** 1 = cluster this value, 0 = skip it (index left 0); default: every value. */
  keep?: Uint8Array;
}

export interface ClusterResult {
  /** Centroids in ascending order. */
  codebook: Float32Array;
  /** Centroid index of every value (0 where keep is 0). */
  indices: Uint8Array;
  /** Lloyd iterations run (assignment + update rounds). */
  iterations: number;
}

/** Min and max over the kept values ([0, 0] when none is kept). */
function keptRange(values: ArrayLike<number>, keep: Uint8Array | undefined): [number, number] {
  let low = Number.POSITIVE_INFINITY;
  let high = Number.NEGATIVE_INFINITY;
  for (let index = 0; index < values.length; index++) {
    if (keep && keep[index] === 0) continue;
    const value = values[index] as number;
    if (value < low) low = value;
    if (value > high) high = value;
  }
  return low <= high ? [low, high] : [0, 0];
}

/** `clusters` centroids evenly spaced over [low, high] (all equal when low == high). */
export function linearCentroids(low: number, high: number, clusters: number): Float64Array {
  const centroids = new Float64Array(clusters);
  for (let index = 0; index < clusters; index++) {
    centroids[index] = clusters === 1 ? (low + high) / 2 : low + ((high - low) * index) / (clusters - 1);
  }
  return centroids;
}

/** Index of the centroid nearest to `value` (centroids ascending; ties go to the lower one). */
export function nearestCentroid(centroids: ArrayLike<number>, value: number): number {
  let low = 0;
  let high = centroids.length - 1;
  // Binary search for the last centroid <= value, then compare with its right neighbour.
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if ((centroids[middle] as number) <= value) low = middle;
    else high = middle - 1;
  }
  const right = low + 1;
  if (right < centroids.length && (centroids[right] as number) - value < value - (centroids[low] as number)) return right;
  return low;
}

/** One assignment pass; returns how many indices changed. */
function assign(values: ArrayLike<number>, centroids: Float64Array, indices: Uint8Array, keep: Uint8Array | undefined): number {
  let changed = 0;
  for (let index = 0; index < values.length; index++) {
    if (keep && keep[index] === 0) continue;
    const nearest = nearestCentroid(centroids, values[index] as number);
    if (nearest !== indices[index]) changed++;
    indices[index] = nearest;
  }
  return changed;
}

/** Moves each centroid to the mean of its members (an empty cluster keeps its position). */
function update(values: ArrayLike<number>, centroids: Float64Array, indices: Uint8Array, keep: Uint8Array | undefined): void {
  const sums = new Float64Array(centroids.length);
  const counts = new Float64Array(centroids.length);
  for (let index = 0; index < values.length; index++) {
    if (keep && keep[index] === 0) continue;
    const cluster = indices[index] as number;
    sums[cluster] = (sums[cluster] as number) + (values[index] as number);
    counts[cluster] = (counts[cluster] as number) + 1;
  }
  for (let cluster = 0; cluster < centroids.length; cluster++) {
    const count = counts[cluster] as number;
    if (count > 0) centroids[cluster] = (sums[cluster] as number) / count;
  }
  // Means of ordered, disjoint intervals stay ordered; sort anyway to keep the invariant exact.
  centroids.sort();
}

/** Clusters `values` into `clusters` centroids (see the file header). */
export function clusterValues(values: ArrayLike<number>, options: ClusterOptions): ClusterResult {
  const { clusters, keep } = options;
  const maxIterations = options.iterations ?? 30;
  if (!(Number.isInteger(clusters) && clusters >= 1 && clusters <= 256)) {
    throw new ConfigError(`k-means: clusters must be an integer in [1, 256], got ${clusters}`, { clusters });
  }
  if (keep && keep.length !== values.length) {
    throw new ConfigError(`k-means: keep mask has ${keep.length} entries for ${values.length} values`);
  }
  const [low, high] = keptRange(values, keep);
  const centroids = linearCentroids(low, high, clusters);
  const indices = new Uint8Array(values.length);
  assign(values, centroids, indices, keep);
  let iterations = 0;
  while (iterations < maxIterations) {
    iterations++;
    update(values, centroids, indices, keep);
    if (assign(values, centroids, indices, keep) === 0) break;
  }
  return { codebook: Float32Array.from(centroids), indices, iterations };
}
