// The WebAssembly quantized convolution (int8-conv.ts / assembly/conv-int8.ts) against the
// QLinearConv reference loop, bit for bit: the Fashion-MNIST CNN's layers (3×3 on 28×28 from one
// channel, 16 → 32 on 14×14, a 1568 → 10 fully connected layer as a 1×1 conv), odd sizes,
// asymmetric padding, strides 1 / 2 / 3, dilation, 1-D, channel counts that are not multiples of
// the 4-channel tile, widths that are not multiples of the 8-lane panel, batch 1, int8 / uint8
// activations and outputs, per-channel weight zero points, uint8 weights, saturation at both
// ends; the host-side range checks (fallback instead of a wrong answer); and the layout mirror.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type DType, type TensorData, fromNumbers, getOpSchema, resolveAttributes } from '@efficientdl/ir';
import { randomTensorData } from '@efficientdl/test-utils';
import { describe, expect, it } from 'vitest';
import { createCpuBackend } from '../cpu-backend.js';
import { convSetup, toConv2dShape } from '../kernels/convolution/conv-setup.js';
import { qlinearConvReferenceKernel } from '../kernels/quantized/integer-conv.js';
import * as hostLayout from './int8-conv-layout.js';
import { wasmQLinearConv } from './int8-conv.js';
import { configureWasmKernels, wasmKernelInfo } from './wasm-runtime.js';

const backend = createCpuBackend();
const listOf = (tensor: TensorData): number[] => Array.from(tensor.data as ArrayLike<number>);

interface Case {
  name: string;
  x: number[]; // (N, C, spatial…)
  w: number[]; // (M, C, kernel…)
  attrs: Record<string, unknown>;
  xType?: 'uint8' | 'int8';
  wType?: 'uint8' | 'int8';
  yType?: 'uint8' | 'int8';
  /** Per-channel weight zero points (else one zero point). */
  perChannelZero?: boolean;
  /** x_scale, w_scale (every channel), y_scale instead of the defaults. */
  scales?: [number, number, number];
}

const CASES: Case[] = [
  { name: 'FashionCnn conv 1: 1 → 16, 3×3 pad 1 on 28×28', x: [4, 1, 28, 28], w: [16, 1, 3, 3], attrs: { pads: [1, 1, 1, 1] } },
  { name: 'FashionCnn conv 2: 16 → 32, 3×3 pad 1 on 14×14', x: [3, 16, 14, 14], w: [32, 16, 3, 3], attrs: { pads: [1, 1, 1, 1] } },
  { name: 'fully connected 1568 → 10 (1×1 over 1×1 images)', x: [21, 1568, 1, 1], w: [10, 1568, 1, 1], attrs: {} },
  { name: 'fully connected, odd depth, batch 1', x: [1, 37, 1, 1], w: [5, 37, 1, 1], attrs: {} },
  { name: 'odd sizes, asymmetric pads, batch 1', x: [1, 3, 13, 11], w: [5, 3, 3, 3], attrs: { pads: [1, 2, 0, 1] } },
  { name: 'stride 2 with dilation', x: [2, 3, 17, 19], w: [6, 3, 3, 2], attrs: { strides: [2, 2], pads: [1, 0, 2, 1], dilations: [2, 1] } },
  { name: 'stride 3 (gathered lanes)', x: [2, 2, 16, 25], w: [7, 2, 2, 3], attrs: { strides: [3, 3], pads: [0, 1, 1, 0] } },
  { name: 'pointwise conv on a plane', x: [2, 9, 5, 6], w: [3, 9, 1, 1], attrs: {} },
  { name: '5×5 kernel, wide rows', x: [1, 2, 9, 40], w: [4, 2, 5, 5], attrs: { pads: [2, 2, 2, 2] } },
  { name: '1-D', x: [3, 2, 17], w: [4, 2, 5], attrs: { pads: [2, 2] } },
  { name: 'int8 activations and output, per-channel weight zero points', x: [2, 4, 9, 9], w: [6, 4, 3, 3], attrs: { pads: [1, 1, 1, 1] }, xType: 'int8', yType: 'int8', perChannelZero: true },
  { name: 'uint8 weights with a zero point', x: [2, 3, 10, 8], w: [5, 3, 3, 3], attrs: { pads: [1, 1, 1, 1] }, wType: 'uint8' },
  { name: 'power-of-two multiplier 2^-7 (exact products, some ties)', x: [2, 2, 9, 12], w: [6, 2, 1, 1], attrs: {}, scales: [1, 2 ** -7, 1] },
  // |sum · multiplier| can pass 2^31: the kernel's general rounding with int32 saturation
  { name: 'huge multipliers (general rounding)', x: [2, 3, 8, 9], w: [5, 3, 3, 3], attrs: { pads: [1, 1, 1, 1] }, scales: [1, 1, 1e-4] },
];

const RANGES: Record<'uint8' | 'int8', [number, number]> = { uint8: [0, 256], int8: [-128, 128] };

function qlinearInputs(testCase: Case, seed: number): TensorData[] {
  const xType = testCase.xType ?? 'uint8';
  const wType = testCase.wType ?? 'int8';
  const yType: DType = testCase.yType ?? 'uint8';
  const channels = testCase.w[0] as number;
  const x = randomTensorData(testCase.x, { seed, dtype: xType, low: RANGES[xType][0], high: RANGES[xType][1] });
  const w = randomTensorData(testCase.w, { seed: seed + 1, dtype: wType, low: RANGES[wType][0], high: RANGES[wType][1] });
  const bias = randomTensorData([channels], { seed: seed + 2, dtype: 'int32', low: -30000, high: 30000 });
  const xZero = fromNumbers(xType, [], [xType === 'uint8' ? 117 : -5]);
  const wZeroValues = Array.from({ length: testCase.perChannelZero ? channels : 1 }, (_, index) => (wType === 'uint8' ? 128 + index : index - 2));
  const wZero = fromNumbers(wType, testCase.perChannelZero ? [channels] : [], wZeroValues);
  // scales such that outputs saturate at both ends for some elements
  const depth = testCase.w.slice(1).reduce((product, size) => product * size, 1);
  const [xScale, weightScale, yScale] = testCase.scales ?? [0.05, undefined, 0.1];
  const wScale = fromNumbers('float32', [channels], Array.from({ length: channels }, (_, index) => weightScale ?? (0.02 * (index + 1)) / Math.sqrt(depth)));
  const yZero = fromNumbers(yType, [], [yType === 'uint8' ? 90 : -11]);
  return [x, fromNumbers('float32', [], [xScale]), xZero, w, wScale, wZero, fromNumbers('float32', [], [yScale]), yZero, bias];
}

function run(inputs: TensorData[], attrs: Record<string, unknown>) {
  const resolved = resolveAttributes(getOpSchema('QLinearConv'), attrs as never);
  const context = { op: 'QLinearConv', node: 'conv', outputCount: 1 };
  const fast = backend.run({ op: 'QLinearConv', domain: '', name: 'conv', attrs: resolved }, inputs, 1)[0] as TensorData;
  const reference = qlinearConvReferenceKernel(inputs, resolved, context)[0] as TensorData;
  return { fast, reference, resolved, context };
}

describe('WebAssembly QLinearConv', () => {
  it('the WebAssembly runtime is available (else every case below would test the fallback)', () => {
    expect(wasmKernelInfo().available).toBe(true);
  });

  for (const testCase of CASES) {
    it(`${testCase.name} equals the reference loop`, () => {
      const inputs = qlinearInputs(testCase, 7);
      const { fast, reference, resolved, context } = run(inputs, testCase.attrs);
      expect(fast.dtype).toBe(reference.dtype);
      expect(fast.shape).toEqual(reference.shape);
      expect(listOf(fast)).toEqual(listOf(reference));
      const [low, high] = fast.dtype === 'uint8' ? [0, 255] : [-128, 127];
      if (fast.data.length >= 64) {
        // the scales make some outputs saturate, so the clamps are exercised too
        expect(listOf(fast).some((value) => value === low)).toBe(true);
        expect(listOf(fast).some((value) => value === high)).toBe(true);
      }
      // and the result came from the WebAssembly kernel, not from a fallback
      const [x, , xZero, w, , wZero] = inputs as TensorData[];
      const setup = convSetup((x as TensorData).shape, (w as TensorData).shape, resolved, context);
      const direct = wasmQLinearConv({
        shape: toConv2dShape(setup),
        x: (x as TensorData).data as Uint8Array,
        w: (w as TensorData).data as Int8Array,
        xZero: (xZero as TensorData).data[0] as number,
        wZeros: (wZero as TensorData).data as Int8Array,
        bias: (inputs[8] as TensorData).data as Int32Array,
        multipliers: multipliersOf(inputs, setup.outChannels),
        yZero: (inputs[7] as TensorData).data[0] as number,
        outSigned: fast.dtype === 'int8',
      });
      expect(direct && Array.from(direct)).toEqual(listOf(reference));
    });
  }

  it('hand-computed ties: y = round_half_even(x / 2) + 3 for x = 0 … 255', () => {
    const x = fromNumbers('uint8', [1, 1, 16, 16], Array.from({ length: 256 }, (_, index) => index));
    const inputs = [
      x, fromNumbers('float32', [], [1]), fromNumbers('uint8', [], [0]),
      fromNumbers('int8', [1, 1, 1, 1], [1]), fromNumbers('float32', [], [0.5]), fromNumbers('int8', [], [0]),
      fromNumbers('float32', [], [1]), fromNumbers('uint8', [], [3]),
    ];
    const expected = Array.from({ length: 256 }, (_, value) => {
      const half = value / 2;
      const rounded = half % 1 === 0.5 ? (Math.floor(half) % 2 === 0 ? Math.floor(half) : Math.ceil(half)) : Math.round(half);
      return rounded + 3;
    });
    expect(expected.slice(0, 8)).toEqual([3, 3, 4, 5, 5, 5, 6, 7]);
    const { fast, reference } = run(inputs, {});
    expect(listOf(reference)).toEqual(expected);
    expect(listOf(fast)).toEqual(expected);
  });

  it('a bias that could overflow int32 sums is left to the other paths (still exact)', () => {
    const testCase = CASES[4] as Case;
    const inputs = qlinearInputs(testCase, 3);
    inputs[8] = fromNumbers('int32', [5], [2 ** 31 - 10, -(2 ** 31) + 10, 0, 1, -1]);
    const { fast, reference, resolved, context } = run(inputs, testCase.attrs);
    expect(listOf(fast)).toEqual(listOf(reference));
    const setup = convSetup((inputs[0] as TensorData).shape, (inputs[3] as TensorData).shape, resolved, context);
    const problem = {
      shape: toConv2dShape(setup),
      x: (inputs[0] as TensorData).data as Uint8Array,
      w: (inputs[3] as TensorData).data as Int8Array,
      xZero: 117,
      wZeros: [0],
      multipliers: new Float64Array(5).fill(0.01),
      yZero: 0,
      outSigned: false,
    };
    expect(wasmQLinearConv({ ...problem, bias: (inputs[8] as TensorData).data as Int32Array })).toBeUndefined();
    expect(wasmQLinearConv({ ...problem, multipliers: new Float64Array(5).fill(Number.POSITIVE_INFINITY) })).toBeUndefined();
    expect(wasmQLinearConv(problem)).toBeDefined();
  });

  it('without the WebAssembly kernels the im2col + int8 GEMM path gives the same results', () => {
    const testCase = CASES[1] as Case;
    const inputs = qlinearInputs(testCase, 5);
    const withWasm = run(inputs, testCase.attrs).fast;
    configureWasmKernels({ enabled: false });
    try {
      const { fast, reference } = run(inputs, testCase.attrs);
      expect(listOf(fast)).toEqual(listOf(reference));
      expect(listOf(fast)).toEqual(listOf(withWasm));
    } finally {
      configureWasmKernels({ enabled: true });
    }
  });

  it('groups > 1 run the other paths', () => {
    const inputs = qlinearInputs({ name: 'groups', x: [2, 4, 6, 6], w: [4, 2, 3, 3], attrs: {} }, 11);
    const { fast, reference } = run(inputs, { group: 2, pads: [1, 1, 1, 1] });
    expect(listOf(fast)).toEqual(listOf(reference));
  });
});

function multipliersOf(inputs: TensorData[], channels: number): Float64Array {
  const inScale = (inputs[1] as TensorData).data[0] as number;
  const weightScales = (inputs[4] as TensorData).data as Float32Array;
  const outScale = (inputs[6] as TensorData).data[0] as number;
  return Float64Array.from({ length: channels }, (_, channel) => Math.fround(Math.fround(inScale * (weightScales[channel] as number)) / outScale));
}

describe('int8 convolution layout mirror', () => {
  it('every constant of assembly/conv-int8-layout.ts has the same value on the host', () => {
    const file = join(dirname(fileURLToPath(import.meta.url)), '../../assembly/conv-int8-layout.ts');
    const constants = [...readFileSync(file, 'utf8').matchAll(/export const (\w+)(?:: \w+)? = (-?\d+);/g)];
    expect(constants.length).toBeGreaterThan(20);
    for (const match of constants) {
      const name = match[1] as string;
      expect({ name, value: (hostLayout as Record<string, unknown>)[name] }).toEqual({ name, value: Number(match[2]) });
    }
  });
});
