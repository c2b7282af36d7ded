// One weight tensor as shared weights: a codebook of 2^bits centroids and one centroid index per
// weight, plus an optional keep mask for already-pruned weights, which stay EXACTLY zero (they
// are neither clustered nor represented by a centroid). weight[i] = keep[i] ? codebook[indices[i]] : 0.
import { ConfigError, type TensorData, fromNumbers, toNumberArray } from '@efficientdl/ir';
import { clusterValues } from './cluster-values.js';

export interface KmeansLayer {
  /** Weight name (initializer / parameter name). */
  name: string;
  shape: number[];
  /** Bits per index; the codebook has 2^bits entries. */
  bits: number;
  codebook: Float32Array;
  /** Centroid index per weight, row-major (0 where the weight is pruned). */
  indices: Uint8Array;
  /** 1 = kept, 0 = pruned (exact zero); undefined when no weight is pruned. */
  keep?: Uint8Array;
}

export interface ClusterWeightOptions {
  name: string;
  weight: TensorData;
  bits: number;
  /** Maximum Lloyd iterations (default 30). */
  iterations?: number;
  /** Explicit keep mask (1 = kept; same element count as the weight). */
  mask?: TensorData;
  /** Treat weights that are exactly 0 as pruned (default true). */
  preserveZeros?: boolean;
}

export function checkBits(bits: number, what: string): void {
  if (!(Number.isInteger(bits) && bits >= 1 && bits <= 8)) {
    throw new ConfigError(`${what}: bits must be an integer in [1, 8], got ${bits}`, { bits });
  }
}

function keepMask(values: Float64Array, options: ClusterWeightOptions): Uint8Array | undefined {
  const keep = new Uint8Array(values.length).fill(1);
  if (options.mask) {
    const mask = toNumberArray(options.mask);
    if (mask.length !== values.length) {
      throw new ConfigError(`k-means: mask of '${options.name}' has ${mask.length} entries, the weight ${values.length}`, { name: options.name });
    }
    mask.forEach((value, index) => {
      if (value === 0) keep[index] = 0;
    });
  }
  if (options.preserveZeros ?? true) {
    values.forEach((value, index) => {
      if (value === 0) keep[index] = 0;
    });
  }
  return keep.includes(0) ? keep : undefined;
}

/** Clusters one weight tensor (see the file header). */
export function clusterWeight(options: ClusterWeightOptions): KmeansLayer {
  checkBits(options.bits, 'k-means');
  const values = toNumberArray(options.weight);
  const keep = keepMask(values, options);
  const { codebook, indices } = clusterValues(values, { clusters: 2 ** options.bits, iterations: options.iterations, keep });
  const layer: KmeansLayer = { name: options.name, shape: [...options.weight.shape] as number[], bits: options.bits, codebook, indices };
  if (keep) layer.keep = keep;
  return layer;
}

/** The float32 weight a layer represents. */
export function decodeKmeansLayer(layer: KmeansLayer): TensorData {
  const values = new Float32Array(layer.indices.length);
  for (let index = 0; index < values.length; index++) {
    values[index] = layer.keep && layer.keep[index] === 0 ? 0 : (layer.codebook[layer.indices[index] as number] as number);
  }
  return fromNumbers('float32', layer.shape, values);
}
