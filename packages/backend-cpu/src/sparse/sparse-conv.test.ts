// SparseConv against the dense oracle (the reference Conv kernel on the zeroed weight): the
// WebAssembly kernel — direct path (stride 1: padded planes, any dilation, asymmetric pads,
// 1×1 without padding) and im2col path (strides), groups — and the reference loops, CSR and N:M,
// on shapes incl. odd sizes, 1×N and N×1 images; identical bits on 1 and 2 threads (split over
// images); the registered kernel agrees with shape inference.
import { type Attributes, EFFICIENTDL_DOMAIN, type TensorData } from '@efficientdl/ir';
import { executeCase, expectClose } from '@efficientdl/test-utils';
import { afterAll, describe, expect, it } from 'vitest';
import { createCpuBackend } from '../cpu-backend.js';
import { convSetup } from '../kernels/convolution/conv-setup.js';
import { configureWasmKernels, wasmKernelInfo } from '../wasm/wasm-runtime.js';
import { type Format, denseConvOracle, nmSparsify, packWeight, randomBias, randomSparseWeight, randomTensor } from './__fixtures__/sparse-oracle.js';
import { sparseConv } from './sparse-kernels.js';
import { readSparseWeight } from './sparse-weight.js';
import { wasmSparseConv } from './wasm-sparse-conv.js';

const CONTEXT = { op: 'SparseConv', node: 'sparse_conv', outputCount: 1 };

interface ConvCase {
  /** x: (N, C, H, W) */
  x: [number, number, number, number];
  /** W: (M, C/group, kH, kW) */
  w: [number, number, number, number];
  attrs: Attributes;
  format: Format;
  density: number;
  bias: boolean;
  seed: number;
}

const GEOMETRIES: Pick<ConvCase, 'x' | 'w' | 'attrs'>[] = [
  { x: [2, 3, 7, 5], w: [4, 3, 3, 3], attrs: { pads: [1, 1, 1, 1] } },
  { x: [1, 1, 28, 28], w: [16, 1, 3, 3], attrs: { pads: [1, 1, 1, 1] } },
  { x: [3, 16, 14, 14], w: [32, 16, 3, 3], attrs: { pads: [1, 1, 1, 1] } },
  { x: [2, 4, 9, 11], w: [6, 2, 3, 3], attrs: { strides: [2, 2], pads: [1, 0, 2, 1], group: 2 } },
  { x: [1, 2, 1, 13], w: [3, 2, 1, 3], attrs: { pads: [0, 1, 0, 1] } },
  { x: [1, 2, 13, 1], w: [3, 2, 3, 1], attrs: { pads: [1, 0, 1, 0] } },
  { x: [2, 3, 10, 9], w: [5, 3, 3, 3], attrs: { dilations: [2, 2], pads: [2, 2, 2, 2] } },
  { x: [2, 5, 6, 7], w: [7, 5, 1, 1], attrs: {} },
  { x: [1, 3, 8, 8], w: [4, 3, 3, 2], attrs: { pads: [0, 2, 1, 0] } },
  { x: [2, 6, 9, 9], w: [6, 1, 3, 3], attrs: { pads: [1, 1, 1, 1], group: 6 } },
  { x: [1, 3, 11, 10], w: [4, 3, 5, 3], attrs: { strides: [3, 1], dilations: [1, 2] } },
  { x: [1, 2, 5, 5], w: [3, 2, 3, 3], attrs: { auto_pad: 'SAME_UPPER' } },
];

function buildCase(testCase: ConvCase) {
  const x = randomTensor(testCase.x, testCase.seed);
  let weight = randomSparseWeight(testCase.w, testCase.density, testCase.seed + 1);
  if (testCase.format === 'nm') weight = nmSparsify(weight, 2, 4);
  const bias = testCase.bias ? randomBias(testCase.w[0], testCase.seed + 2) : undefined;
  const packed = packWeight(weight, testCase.format);
  const attrs = { ...testCase.attrs, ...packed.attrs };
  return { x, weight, bias, inputs: [x, ...packed.inputs, bias], attrs };
}

function tolerance(testCase: ConvCase) {
  const patch = testCase.w[1] * testCase.w[2] * testCase.w[3];
  return { rtol: 1e-5, atol: 1e-6 * Math.max(8, patch) };
}

/** Checks the WebAssembly and reference paths against the dense oracle; returns the WebAssembly output. */
function check(testCase: ConvCase): Float32Array {
  const { x, weight, bias, inputs, attrs } = buildCase(testCase);
  const expected = denseConvOracle(x, weight, bias, testCase.attrs);
  expectClose(sparseConv(inputs, attrs, CONTEXT, false), expected, tolerance(testCase));
  const sparse = readSparseWeight(inputs, attrs, CONTEXT);
  const setup = convSetup(x.shape, sparse.shape, attrs, CONTEXT);
  const y = new Float32Array(expected.data.length);
  expect(wasmSparseConv({ x: x.data as Float32Array, weight: sparse, bias: bias?.data as Float32Array | undefined, setup }, y)).toBe(true);
  expectClose({ ...expected, data: y } as TensorData, expected, tolerance(testCase));
  return y;
}

describe('SparseConv kernels', () => {
  afterAll(() => configureWasmKernels({ enabled: true, threads: 2 }));

  it('runs on the WebAssembly build', () => {
    expect(wasmKernelInfo()).toMatchObject({ available: true, enabled: true });
  });

  it('CSR matches the dense Conv on every geometry', () => {
    let seed = 1;
    for (const geometry of GEOMETRIES) {
      for (const density of [0.2, 0.6]) check({ ...geometry, format: 'csr', density, bias: seed % 2 === 0, seed: (seed += 3) });
    }
  });

  it('2:4 matches the dense Conv on every geometry', () => {
    let seed = 200;
    for (const geometry of GEOMETRIES) check({ ...geometry, format: 'nm', density: 0.9, bias: seed % 2 === 1, seed: (seed += 3) });
  });

  it('handles an all-zero weight (output = bias)', () => {
    check({ ...(GEOMETRIES[0] as ConvCase), format: 'csr', density: 0, bias: true, seed: 5 });
  });

  it('gives identical bits on 1 and 2 threads (split over images)', () => {
    const testCase: ConvCase = { x: [8, 16, 14, 14], w: [32, 16, 3, 3], attrs: { pads: [1, 1, 1, 1] }, format: 'csr', density: 0.5, bias: true, seed: 51 };
    configureWasmKernels({ threads: 1 });
    const single = check(testCase);
    configureWasmKernels({ threads: 2 });
    const double = check(testCase);
    expect(Buffer.from(double.buffer).equals(Buffer.from(single.buffer))).toBe(true);
  });

  it('runs through the CPU backend with the schema inference agreeing', () => {
    const testCase: ConvCase = { x: [2, 4, 9, 11], w: [6, 2, 3, 3], attrs: { strides: [2, 2], pads: [1, 0, 2, 1], group: 2 }, format: 'nm', density: 1, bias: true, seed: 61 };
    const { x, weight, bias, inputs, attrs } = buildCase(testCase);
    const [actual] = executeCase(createCpuBackend(), { name: 'sparse_conv', op: 'SparseConv', domain: EFFICIENTDL_DOMAIN, inputs, attrs });
    expectClose(actual as TensorData, denseConvOracle(x, weight, bias, testCase.attrs), tolerance(testCase));
  });

  it('falls back to the reference loops when the WebAssembly kernels are disabled', () => {
    const testCase: ConvCase = { ...(GEOMETRIES[3] as ConvCase), format: 'csr', density: 0.4, bias: true, seed: 81 };
    const { x, weight, bias, inputs, attrs } = buildCase(testCase);
    configureWasmKernels({ enabled: false });
    try {
      expectClose(sparseConv(inputs, attrs, CONTEXT), denseConvOracle(x, weight, bias, testCase.attrs), tolerance(testCase));
    } finally {
      configureWasmKernels({ enabled: true, threads: 2 });
    }
  });

  it('rejects a weight_shape that does not match X or the group', () => {
    const { inputs, attrs } = buildCase({ ...(GEOMETRIES[0] as ConvCase), format: 'csr', density: 0.5, bias: false, seed: 71 });
    expect(() => sparseConv(inputs, { ...attrs, group: 2 }, CONTEXT)).toThrow(/sparse_conv/);
    expect(() => sparseConv([randomTensor([1, 2, 5, 5], 1), ...inputs.slice(1)], attrs, CONTEXT)).toThrow(/sparse_conv/);
  });
});
