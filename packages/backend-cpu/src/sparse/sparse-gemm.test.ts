// SparseGemm against the dense oracle (the reference Gemm kernel on the zeroed weight): the
// WebAssembly kernel and the reference loops, CSR and N:M (2:4, 4:8, 1:3 with partial groups),
// random shapes incl. odd sizes, 1×N and N×1, empty and full rows, with and without bias; both
// thread counts give identical bits; the registered kernel agrees with shape inference.
import { EFFICIENTDL_DOMAIN, type TensorData } from '@efficientdl/ir';
import { executeCase, expectClose } from '@efficientdl/test-utils';
import { afterAll, describe, expect, it } from 'vitest';
import { createCpuBackend } from '../cpu-backend.js';
import { configureWasmKernels, wasmKernelInfo } from '../wasm/wasm-runtime.js';
import { type Format, denseGemmOracle, nmSparsify, packWeight, randomBias, randomSparseWeight, randomTensor } from './__fixtures__/sparse-oracle.js';
import { sparseGemm } from './sparse-kernels.js';
import { readSparseWeight } from './sparse-weight.js';
import { wasmSparseGemm } from './wasm-sparse-gemm.js';

const CONTEXT = { op: 'SparseGemm', node: 'sparse_gemm', outputCount: 1 };

// [batch, outFeatures, inFeatures]
const SHAPES: [number, number, number][] = [
  [1, 1, 1], [1, 37, 50], [37, 1, 50], [5, 7, 9], [64, 10, 1568], [33, 17, 130], [3, 300, 65], [130, 3, 7], [1, 64, 4096],
];

interface GemmCase {
  shape: [number, number, number];
  format: Format;
  density: number;
  pattern?: { n: number; m: number };
  bias: boolean;
  seed: number;
}

function buildCase(testCase: GemmCase) {
  const [batch, outFeatures, inFeatures] = testCase.shape;
  const a = randomTensor([batch, inFeatures], testCase.seed);
  let weight = randomSparseWeight([outFeatures, inFeatures], testCase.density, testCase.seed + 1);
  if (testCase.format === 'nm') weight = nmSparsify(weight, testCase.pattern?.n ?? 2, testCase.pattern?.m ?? 4);
  const bias = testCase.bias ? randomBias(outFeatures, testCase.seed + 2) : undefined;
  const packed = packWeight(weight, testCase.format, testCase.pattern);
  return { a, weight, bias, inputs: [a, ...packed.inputs, bias], attrs: packed.attrs };
}

function tolerance(inFeatures: number) {
  return { rtol: 1e-5, atol: 1e-6 * Math.max(8, inFeatures) };
}

/** Checks the WebAssembly and reference paths against the dense oracle; returns the WebAssembly output. */
function check(testCase: GemmCase): Float32Array {
  const { a, weight, bias, inputs, attrs } = buildCase(testCase);
  const expected = denseGemmOracle(a, weight, bias);
  const reference = sparseGemm(inputs, attrs, CONTEXT, false);
  expectClose(reference, expected, tolerance(testCase.shape[2]));
  const y = new Float32Array(expected.data.length);
  const sparse = readSparseWeight(inputs, attrs, CONTEXT);
  expect(wasmSparseGemm({ a: a.data as Float32Array, batch: testCase.shape[0], weight: sparse, bias: bias?.data as Float32Array | undefined, y })).toBe(true);
  expectClose({ ...expected, data: y } as TensorData, expected, tolerance(testCase.shape[2]));
  return y;
}

describe('SparseGemm kernels', () => {
  afterAll(() => configureWasmKernels({ enabled: true, threads: 2 }));

  it('runs on the WebAssembly build', () => {
    expect(wasmKernelInfo()).toMatchObject({ available: true, enabled: true });
  });

  it('CSR matches the dense Gemm on random shapes and densities', () => {
    let seed = 1;
    for (const shape of SHAPES) {
      for (const density of [0.2, 0.5]) check({ shape, format: 'csr', density, bias: seed % 2 === 0, seed: (seed += 3) });
    }
  });

  it('N:M matches the dense Gemm for 2:4, 4:8 and 1:3 (partial last groups)', () => {
    let seed = 100;
    for (const shape of SHAPES) {
      for (const pattern of [{ n: 2, m: 4 }, { n: 4, m: 8 }, { n: 1, m: 3 }]) {
        check({ shape, format: 'nm', density: 0.9, pattern, bias: seed % 2 === 1, seed: (seed += 3) });
      }
    }
  });

  it('handles all-zero and fully dense weights', () => {
    check({ shape: [9, 5, 33], format: 'csr', density: 0, bias: true, seed: 7 });
    check({ shape: [9, 5, 33], format: 'csr', density: 1, bias: false, seed: 8 });
    check({ shape: [9, 5, 33], format: 'nm', density: 0, bias: true, seed: 9 });
  });

  it('chunks the rows when their entries exceed one thread scratch (300 × 2000 at 60 % density)', () => {
    check({ shape: [3, 300, 2000], format: 'csr', density: 0.6, bias: true, seed: 17 });
  });

  it('gives identical bits on 1 and 2 threads (split over rows)', () => {
    const testCase: GemmCase = { shape: [256, 96, 1024], format: 'csr', density: 0.3, bias: true, seed: 21 };
    configureWasmKernels({ threads: 1 });
    const single = check(testCase);
    configureWasmKernels({ threads: 2 });
    const double = check(testCase);
    expect(Buffer.from(double.buffer).equals(Buffer.from(single.buffer))).toBe(true);
  });

  it('runs through the CPU backend with the schema inference agreeing', () => {
    const { a, weight, bias, inputs, attrs } = buildCase({ shape: [6, 5, 12], format: 'nm', density: 0.8, bias: true, seed: 31 });
    const [actual] = executeCase(createCpuBackend(), { name: 'sparse_gemm', op: 'SparseGemm', domain: EFFICIENTDL_DOMAIN, inputs, attrs });
    expectClose(actual as TensorData, denseGemmOracle(a, weight, bias), tolerance(12));
  });

  it('rejects malformed CSR / N:M inputs with typed errors naming the node', () => {
    const { inputs, attrs } = buildCase({ shape: [2, 3, 8], format: 'csr', density: 0.5, bias: false, seed: 41 });
    const badPointers = [...inputs];
    badPointers[3] = { dtype: 'int32', shape: [4], data: new Int32Array([0, 5, 2, 1]) };
    expect(() => sparseGemm(badPointers, attrs, CONTEXT)).toThrow(/sparse_gemm.*row_pointers/);
    const nm = buildCase({ shape: [2, 3, 8], format: 'nm', density: 1, bias: false, seed: 42 });
    const badPositions = [...nm.inputs];
    badPositions[2] = { dtype: 'uint8', shape: [3, 4], data: new Uint8Array(12).fill(4) };
    expect(() => sparseGemm(badPositions, nm.attrs, CONTEXT)).toThrow(/sparse_gemm.*outside its group/);
    expect(() => sparseGemm(inputs, { ...attrs, weight_shape: [3, 9] }, CONTEXT)).toThrow(/sparse_gemm/);
  });
});
