// MaxPool2d / AvgPool2d / AdaptiveAvgPool2d / GlobalAvgPool against naive window loops.
import { ConfigError, fromNumbers } from '@efficientdl/ir';
import { Tensor } from '@efficientdl/tensor';
import { expectClose } from '@efficientdl/test-utils';
import { describe, expect, it } from 'vitest';
import { pseudoRandom } from '../__fixtures__/gradient-check.js';
import { AdaptiveAvgPool2d, AvgPool2d, GlobalAvgPool, MaxPool2d } from './pooling.js';

/** Naive 2-D pooling over one (H, W) plane per (n, c); padding counts as -∞ (max) or 0 (average, counted). */
function naivePool(
  values: number[],
  shape: [number, number, number, number],
  options: { kernel: number; stride: number; pad: number; kind: 'max' | 'average' },
): number[] {
  const [batch, channels, height, width] = shape;
  const { kernel, stride, pad, kind } = options;
  const outH = Math.floor((height + 2 * pad - kernel) / stride) + 1;
  const outW = Math.floor((width + 2 * pad - kernel) / stride) + 1;
  const out: number[] = [];
  for (let plane = 0; plane < batch * channels; plane++)
    for (let oy = 0; oy < outH; oy++)
      for (let ox = 0; ox < outW; ox++) {
        let result = kind === 'max' ? Number.NEGATIVE_INFINITY : 0;
        for (let i = 0; i < kernel; i++)
          for (let j = 0; j < kernel; j++) {
            const y = oy * stride - pad + i;
            const x = ox * stride - pad + j;
            const inside = y >= 0 && y < height && x >= 0 && x < width;
            const value = inside ? (values[(plane * height + y) * width + x] as number) : kind === 'max' ? Number.NEGATIVE_INFINITY : 0;
            result = kind === 'max' ? Math.max(result, value) : result + value;
          }
        out.push(kind === 'max' ? result : result / (kernel * kernel));
      }
  return out;
}

const shape: [number, number, number, number] = [2, 3, 6, 5];
const values = pseudoRandom(180, 41);
const input = new Tensor(fromNumbers('float32', shape, values));

describe('pooling', () => {
  it('MaxPool2d: kernel 2 (stride defaults to kernel) and kernel 3 stride 2 pad 1', () => {
    const y = new MaxPool2d({ kernelSize: 2 }).call(input);
    expect(y.shape).toEqual([2, 3, 3, 2]);
    expectClose(y.values as Float32Array, naivePool(values, shape, { kernel: 2, stride: 2, pad: 0, kind: 'max' }));
    const padded = new MaxPool2d({ kernelSize: 3, stride: 2, padding: 1 }).call(input);
    expectClose(padded.values as Float32Array, naivePool(values, shape, { kernel: 3, stride: 2, pad: 1, kind: 'max' }));
  });

  it('AvgPool2d counts zero padding like PyTorch', () => {
    const y = new AvgPool2d({ kernelSize: 3, stride: 1, padding: 1 }).call(input);
    expect(y.shape).toEqual(shape);
    expectClose(y.values as Float32Array, naivePool(values, shape, { kernel: 3, stride: 1, pad: 1, kind: 'average' }), { rtol: 1e-5, atol: 1e-6 });
  });

  it('global and adaptive average pooling', () => {
    const planeMeans = Array.from({ length: 6 }, (_, plane) => values.slice(plane * 30, plane * 30 + 30).reduce((s, v) => s + v, 0) / 30);
    const globalOut = new GlobalAvgPool().call(input);
    expect(globalOut.shape).toEqual([2, 3, 1, 1]);
    expectClose(globalOut.values as Float32Array, planeMeans, { rtol: 1e-5, atol: 1e-6 });
    expectClose(new AdaptiveAvgPool2d({ outputSize: 1 }).call(input).values as Float32Array, planeMeans, { rtol: 1e-5, atol: 1e-6 });
    const even = new Tensor(fromNumbers('float32', [1, 1, 4, 4], values.slice(0, 16)));
    const adaptive = new AdaptiveAvgPool2d({ outputSize: 2 }).call(even);
    expectClose(adaptive.values as Float32Array, naivePool(values.slice(0, 16), [1, 1, 4, 4], { kernel: 2, stride: 2, pad: 0, kind: 'average' }), { rtol: 1e-5, atol: 1e-6 });
    expect(() => new AdaptiveAvgPool2d({ outputSize: 4 }).call(input)).toThrow(ConfigError);
  });
});
