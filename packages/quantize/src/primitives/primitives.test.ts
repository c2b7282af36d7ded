// Primitives against hand-computed values and against the CPU backend's reference
// QuantizeLinear / DequantizeLinear kernels (run through the tensor engine) as the oracle.
import { ConfigError, type TensorData, fromNumbers, tensorData, toNumberArray } from '@efficientdl/ir';
import { randomTensorData } from '@efficientdl/test-utils';
import { Tensor, runOp } from '@efficientdl/tensor';
import { describe, expect, it } from 'vitest';
import {
  chooseQuantParams,
  chooseQuantParamsPerChannel,
  chooseQuantParamsPerGroup,
  dequantizeTensor,
  quantParamsToTensors,
  quantizeTensor,
  roundHalfToEven,
  parameterIndexOf,
  unpackCodes,
} from './index.js';
import type { AnyQuantParams } from './quantize-tensor.js';

function referenceQuantize(x: TensorData, params: AnyQuantParams, attrs: Record<string, number> = {}): TensorData {
  const { scale, zeroPoint } = quantParamsToTensors(params);
  return (runOp('QuantizeLinear', [new Tensor(x), new Tensor(scale), new Tensor(zeroPoint)], attrs)[0] as Tensor).data;
}

function referenceDequantize(q: TensorData, params: AnyQuantParams, attrs: Record<string, number> = {}): TensorData {
  const { scale, zeroPoint } = quantParamsToTensors(params);
  return (runOp('DequantizeLinear', [new Tensor(q), new Tensor(scale), new Tensor(zeroPoint)], attrs)[0] as Tensor).data;
}

const listOf = (tensor: TensorData): number[] => Array.from(tensor.data as ArrayLike<number>);

describe('roundHalfToEven', () => {
  it('rounds ties to the even neighbour', () => {
    expect([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 2.4999, 2.5001, 1e300].map(roundHalfToEven)).toEqual([-2, -2, 0, 0, 2, 2, 2, 3, 1e300]);
  });
});

describe('chooseQuantParams', () => {
  it('asymmetric uint8 widens to include zero and maps min to qmin', () => {
    // [−1, 3]: scale 4/255, zero point round(0 + 1 / (4/255)) = round(63.75) = 64
    expect(chooseQuantParams({ min: -1, max: 3, dtype: 'uint8', symmetric: false })).toEqual({ scale: Math.fround(4 / 255), zeroPoint: 64, dtype: 'uint8' });
    // [2, 5] becomes [0, 5]
    expect(chooseQuantParams({ min: 2, max: 5, dtype: 'uint8', symmetric: false })).toEqual({ scale: Math.fround(5 / 255), zeroPoint: 0, dtype: 'uint8' });
  });
  it('symmetric int8 (narrow) gives zero point 0 and scale max|x| / 127', () => {
    expect(chooseQuantParams({ min: -0.5, max: 2.54, dtype: 'int8', symmetric: true, narrowRange: true })).toEqual({ scale: Math.fround(2.54 / 127), zeroPoint: 0, dtype: 'int8' });
    expect(chooseQuantParams({ min: -2, max: 1, dtype: 'int8', symmetric: true }).scale).toBe(Math.fround(4 / 255));
    expect(chooseQuantParams({ min: -2, max: 1, dtype: 'int4', symmetric: true, narrowRange: true })).toEqual({ scale: Math.fround(2 / 7), zeroPoint: 0, dtype: 'int4' });
  });
  it('symmetric unsigned puts zero in the middle code', () => {
    expect(chooseQuantParams({ min: -1, max: 1, dtype: 'uint8', symmetric: true }).zeroPoint).toBe(128);
    expect(chooseQuantParams({ min: -1, max: 1, dtype: 'uint4', symmetric: true }).zeroPoint).toBe(8);
  });
  it('gives a zero-width range scale 1 and rejects non-finite ranges', () => {
    expect(chooseQuantParams({ min: 0, max: 0, dtype: 'uint8', symmetric: false })).toEqual({ scale: 1, zeroPoint: 0, dtype: 'uint8' });
    expect(() => chooseQuantParams({ min: Number.NaN, max: 1, dtype: 'uint8', symmetric: false })).toThrow(ConfigError);
    expect(() => chooseQuantParams({ min: 2, max: 1, dtype: 'uint8', symmetric: false })).toThrow(ConfigError);
  });
});

describe('per-channel and per-group parameters', () => {
  // w: (2, 3)
  const w = fromNumbers('float32', [2, 3], [1, -4, 2, 0.5, 0.25, -0.125]);
  it('per channel reduces each slice along the axis', () => {
    const params = chooseQuantParamsPerChannel({ tensor: w, axis: 0, dtype: 'int8', symmetric: true, narrowRange: true });
    expect(params.shape).toEqual([2]);
    expect(Array.from(params.scales)).toEqual([Math.fround(4 / 127), Math.fround(0.5 / 127)]);
    expect(Array.from(params.zeroPoints)).toEqual([0, 0]);
    expect(Array.from(unpackCodes(quantizeTensor(w, params)))).toEqual([32, -127, 64, 127, 64, -32]);
  });
  it('per group follows ONNX blocked layout (x shape with dim[axis] → blocks)', () => {
    const params = chooseQuantParamsPerGroup({ tensor: w, axis: 1, groupSize: 2, dtype: 'int4', symmetric: true, narrowRange: true });
    expect(params.shape).toEqual([2, 2]);
    // blocks: [1, −4], [2], [0.5, 0.25], [−0.125]; 0.25 / fround(0.5 / 7) = 3.4999… → 3
    expect(Array.from(params.scales)).toEqual([4 / 7, 2 / 7, 0.5 / 7, 0.125 / 7].map(Math.fround));
    const q = quantizeTensor(w, params);
    expect(q.data.length).toBe(3); // 6 int4 codes, two per byte
    expect(Array.from(unpackCodes(q))).toEqual([2, -7, 7, 7, 3, -7]);
  });
  it('ignores NaN and infinities when reducing', () => {
    const x = fromNumbers('float32', [2, 2], [Number.NaN, 1, Number.POSITIVE_INFINITY, -2]);
    const params = chooseQuantParamsPerChannel({ tensor: x, axis: 0, dtype: 'uint8', symmetric: false });
    expect(Array.from(params.scales)).toEqual([Math.fround(1 / 255), Math.fround(2 / 255)]);
  });
});

describe('quantizeTensor / dequantizeTensor match the reference kernels', () => {
  const x = randomTensorData([4, 6, 5], { seed: 3, low: -3, high: 3 }); // x: (4, 6, 5)
  it('per tensor, including halfway points, saturation and NaN', () => {
    const params = chooseQuantParams({ min: -1, max: 2, dtype: 'uint8', symmetric: false });
    const special = fromNumbers('float32', [6], [0.5 * params.scale, 1.5 * params.scale, 1e9, -1e9, Number.NaN, Number.NEGATIVE_INFINITY]);
    for (const input of [x, special]) {
      const q = quantizeTensor(input, params);
      expect(listOf(q)).toEqual(listOf(referenceQuantize(input, params)));
      expect(listOf(dequantizeTensor(q, params))).toEqual(listOf(referenceDequantize(q, params)));
    }
  });
  it('per channel int8 on axis 1', () => {
    const params = chooseQuantParamsPerChannel({ tensor: x, axis: 1, dtype: 'int8', symmetric: true, narrowRange: true });
    const q = quantizeTensor(x, params);
    expect(listOf(q)).toEqual(listOf(referenceQuantize(x, params, { axis: 1 })));
    expect(listOf(dequantizeTensor(q, params))).toEqual(listOf(referenceDequantize(q, params, { axis: 1 })));
  });
  for (const dtype of ['int4', 'uint4', 'uint8'] as const) {
    it(`per group ${dtype} with a ragged last block`, () => {
      const params = chooseQuantParamsPerGroup({ tensor: x, axis: 2, groupSize: 2, dtype, symmetric: dtype === 'int4' });
      const q = quantizeTensor(x, params);
      const attrs = { axis: 2, block_size: 2 };
      expect(listOf(q)).toEqual(listOf(referenceQuantize(x, params, attrs)));
      const restored = dequantizeTensor(q, params);
      expect(listOf(restored)).toEqual(listOf(referenceDequantize(q, params, attrs)));
      // error bounded by half a step of the element's own group
      const values = toNumberArray(x);
      const groups = parameterIndexOf(x.shape, params);
      values.forEach((value, index) => {
        const step = params.scales[groups[index] as number] as number;
        expect(Math.abs(value - (restored.data[index] as number))).toBeLessThanOrEqual(0.5 * step + 1e-6);
      });
    });
  }
  it('rejects integer input and mismatched parameter counts', () => {
    const params = chooseQuantParamsPerChannel({ tensor: x, axis: 1, dtype: 'int8', symmetric: true });
    expect(() => quantizeTensor(tensorData('int32', [2]), { scale: 1, zeroPoint: 0, dtype: 'int8' })).toThrow(ConfigError);
    expect(() => quantizeTensor(x, params, { axis: 2 })).toThrow(ConfigError);
  });
});

