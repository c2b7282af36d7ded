// Test fixtures of the sparse kernels: seeded random weights with a given density or an N:M
// pattern, their packed forms as SparseGemm / SparseConv inputs, and the dense oracles — the
// reference Gemm / Conv kernels run on the same (zeroed) dense weights.
import { type Attributes, type TensorData, denseToCsr, denseToNm, fromNumbers, tensorData } from '@efficientdl/ir';
import { seeded } from '../../fast/__fixtures__/gemm-oracle.js';
import { conv } from '../../kernels/convolution/conv.js';
import { gemm } from '../../kernels/linear/gemm.js';

export type Format = 'csr' | 'nm';

/** Uniform values in [-0.5, 0.5) of `shape` from `seed`. */
export function randomTensor(shape: readonly number[], seed: number): TensorData {
  const random = seeded(seed);
  const count = shape.reduce((product, dim) => product * dim, 1);
  return tensorData('float32', shape, Float32Array.from({ length: count }, () => random()));
}

/** A weight whose entries are kept with probability `density` (others exactly 0). */
export function randomSparseWeight(shape: readonly number[], density: number, seed: number): TensorData {
  const weight = randomTensor(shape, seed);
  const keep = seeded(seed + 1000);
  const values = weight.data as Float32Array;
  for (let index = 0; index < values.length; index++) if (keep() + 0.5 >= density) values[index] = 0;
  return weight;
}

/** Keeps the n largest-magnitude entries of every group of m consecutive reduction columns. */
export function nmSparsify(weight: TensorData, n: number, m: number): TensorData {
  const rows = weight.shape[0] as number;
  const values = (weight.data as Float32Array).slice();
  const cols = values.length / rows;
  for (let row = 0; row < rows; row++) {
    for (let start = 0; start < cols; start += m) {
      const group = Array.from({ length: Math.min(m, cols - start) }, (_, offset) => row * cols + start + offset);
      group.sort((a, b) => Math.abs(values[b] as number) - Math.abs(values[a] as number));
      for (const index of group.slice(n)) values[index] = 0;
    }
  }
  return tensorData('float32', weight.shape, values);
}

/** Inputs 1..3 and the sparse attributes of a dense (already sparse) weight in `format`. */
export function packWeight(weight: TensorData, format: Format, pattern = { n: 2, m: 4 }): { inputs: (TensorData | undefined)[]; attrs: Attributes } {
  const weightShape = [...weight.shape];
  if (format === 'csr') {
    const csr = denseToCsr(weight);
    return { inputs: [csr.values, csr.indices, csr.rowPointers], attrs: { format, weight_shape: weightShape } };
  }
  const nm = denseToNm(weight, pattern);
  return { inputs: [nm.values, nm.indices, undefined], attrs: { format, weight_shape: weightShape, n: pattern.n, m: pattern.m } };
}

const CONTEXT = { op: 'Oracle', node: 'oracle', outputCount: 1 };

/** Y = A · Wᵀ + bias by the reference Gemm kernel (naive loop, float64 sums). */
export function denseGemmOracle(a: TensorData, weight: TensorData, bias?: TensorData): TensorData {
  return gemm([a, weight, bias], { transB: 1 }, CONTEXT, false);
}

/** Conv(X, W) + bias by the reference Conv kernel (direct loops, float64 sums). */
export function denseConvOracle(x: TensorData, weight: TensorData, bias: TensorData | undefined, attrs: Attributes): TensorData {
  return conv([x, weight, bias], attrs, CONTEXT, false);
}

/** A float32 vector (bias) from `seed`. */
export function randomBias(length: number, seed: number): TensorData {
  const random = seeded(seed);
  return fromNumbers('float32', [length], Array.from({ length }, () => random()));
}
