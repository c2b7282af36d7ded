// fakeQuantize: the forward pass equals quantizeTensor → dequantizeTensor (the PTQ primitives)
// and the QuantizeLinear → DequantizeLinear CPU kernels bit for bit; the gradient is exactly 1 inside the representable range and 0 outside (clipped
// STE), and matches finite differences of the clip surrogate away from the range ends.
import { type TensorData, fromNumbers } from '@efficientdl/ir';
import { Generator, Tensor, noGrad, randn, runUnary } from '@efficientdl/tensor';
import { describe, expect, it } from 'vitest';
import {
  type AnyQuantParams,
  chooseQuantParams,
  chooseQuantParamsPerChannel,
  chooseQuantParamsPerGroup,
  dequantizeTensor,
  quantParamsToTensors,
  quantizeTensor,
} from '../primitives/index.js';
import { fakeQuantize } from './fake-quantize.js';

function input(shape: number[], seed: number, scale = 1): Tensor {
  const values = Float32Array.from(randn(shape, { generator: new Generator(seed) }).values as Float32Array, (value) => value * scale);
  return new Tensor(fromNumbers('float32', shape, values)).requireGrad(true);
}

/** The ONNX ops on the active backend: the QDQ graph's own arithmetic. */
function viaOps(x: Tensor, params: AnyQuantParams): Float32Array {
  const { scale, zeroPoint } = quantParamsToTensors(params);
  const attrs: Record<string, number> = 'scales' in params ? (params.groupSize ? { axis: params.axis, block_size: params.groupSize } : { axis: params.axis }) : {};
  const [s, z] = [new Tensor(scale), new Tensor(zeroPoint)];
  return noGrad(() => runUnary('DequantizeLinear', [runUnary('QuantizeLinear', [x, s, z], attrs), s, z], attrs).values as Float32Array);
}

describe('fakeQuantize forward', () => {
  it('equals quantize-dequantize per tensor (uint8, asymmetric)', () => {
    const x = input([4, 5], 1, 3);
    const params = chooseQuantParams({ min: -2, max: 4, dtype: 'uint8', symmetric: false });
    const expected = dequantizeTensor(quantizeTensor(x.data, params), params);
    expect(Array.from(fakeQuantize(x, params).values as Float32Array)).toEqual(Array.from(expected.data as Float32Array));
    expect(Array.from(fakeQuantize(x, params).values as Float32Array)).toEqual(Array.from(viaOps(x, params)));
  });

  it('equals quantize-dequantize per channel (int4, symmetric) and per group', () => {
    const w = input([6, 3, 3, 3], 2, 0.2);
    const perChannel = chooseQuantParamsPerChannel({ tensor: w.data, axis: 0, dtype: 'int4', symmetric: true, narrowRange: true });
    const expected = dequantizeTensor(quantizeTensor(w.data, perChannel), perChannel);
    expect(Array.from(fakeQuantize(w, perChannel).values as Float32Array)).toEqual(Array.from(expected.data as Float32Array));
    expect(Array.from(fakeQuantize(w, perChannel).values as Float32Array)).toEqual(Array.from(viaOps(w, perChannel)));
    const m = input([5, 12], 3);
    const perGroup = chooseQuantParamsPerGroup({ tensor: m.data, axis: 1, groupSize: 5, dtype: 'int8', symmetric: true });
    const grouped = dequantizeTensor(quantizeTensor(m.data, perGroup), perGroup);
    expect(Array.from(fakeQuantize(m, perGroup).values as Float32Array)).toEqual(Array.from(grouped.data as Float32Array));
    expect(Array.from(fakeQuantize(m, perGroup).values as Float32Array)).toEqual(Array.from(viaOps(m, perGroup)));
  });
});

describe('fakeQuantize gradient (clipped straight-through estimator)', () => {
  // per tensor, range [−1, 1] with uint8 → representable [low, high] around it
  const params = chooseQuantParams({ min: -1, max: 1, dtype: 'uint8', symmetric: false });
  const low = (0 - params.zeroPoint) * params.scale;
  const high = (255 - params.zeroPoint) * params.scale;

  it('passes the upstream gradient exactly inside the range and zero outside', () => {
    const x = input([64], 4, 1.5); // about a third of the values fall outside [−1, 1]
    const upstream = input([64], 5).detach();
    fakeQuantize(x, params).mul(upstream).sum().backward();
    const gradient = x.grad?.values as Float32Array;
    const values = x.values as Float32Array;
    let inside = 0;
    values.forEach((value, index) => {
      const expected = value > low && value < high ? (upstream.values[index] as number) : 0;
      if (expected !== 0) inside++;
      expect((gradient[index] as number) + 0).toBe(expected + 0); // +0 folds −0
    });
    expect(inside).toBeGreaterThan(10);
    expect(inside).toBeLessThan(60);
  });

  it('matches finite differences of the clip surrogate away from the range ends', () => {
    const x = input([32], 6, 1.5);
    const upstream = input([32], 7).detach();
    fakeQuantize(x, params).mul(upstream).sum().backward();
    const gradient = x.grad?.values as Float32Array;
    const surrogate = (values: Float32Array) =>
      values.reduce((sum, value, index) => sum + Math.min(Math.max(value, low), high) * (upstream.values[index] as number), 0);
    const step = 1e-3;
    (x.values as Float32Array).forEach((value, index) => {
      if (Math.abs(value - low) < 2 * step || Math.abs(value - high) < 2 * step) return;
      const plus = Float32Array.from(x.values as Float32Array);
      const minus = Float32Array.from(x.values as Float32Array);
      plus[index] = value + step;
      minus[index] = value - step;
      expect(gradient[index]).toBeCloseTo((surrogate(plus) - surrogate(minus)) / (2 * step), 3);
    });
  });

  it('clips per channel with each channel’s own range', () => {
    const w = input([2, 4], 8);
    const perChannel = chooseQuantParamsPerChannel({ tensor: fromNumbers('float32', [2, 4], [1, -1, 0.5, 0, 3, -3, 1, 2]) as TensorData, axis: 0, dtype: 'int8', symmetric: true, narrowRange: true });
    // channel 0 representable ≈ [−1.008, 1], channel 1 ≈ [−3.02, 3]
    w.data = fromNumbers('float32', [2, 4], [1.5, -0.5, 0.9, -2, 1.5, -0.5, 0.9, -2]);
    fakeQuantize(w, perChannel).sum().backward();
    expect(Array.from(w.grad?.values as Float32Array)).toEqual([0, 1, 1, 0, 1, 1, 1, 1]);
  });

  it('records nothing under noGrad', () => {
    const x = input([8], 9);
    const y = noGrad(() => fakeQuantize(x, params));
    expect(y.requiresGrad).toBe(false);
  });
});
