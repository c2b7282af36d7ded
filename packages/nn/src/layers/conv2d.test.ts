// Conv2d against a naive direct convolution (stride, padding incl. 'same', dilation, groups incl.
// depthwise, bias) and its gradients against finite differences.
import { ConfigError, fromNumbers } from '@efficientdl/ir';
import { F, Generator, Tensor } from '@efficientdl/tensor';
import { expectClose } from '@efficientdl/test-utils';
import { describe, expect, it } from 'vitest';
import { checkGradients, pseudoRandom } from '../__fixtures__/gradient-check.js';
import { Conv2d, type Conv2dOptions } from './conv2d.js';

/** Direct convolution: out[n][o][y][x] = b[o] + Σ w[o][c][i][j] · in[n][g·Cg + c][y·s − pt + i·d][x·s − pl + j·d]. */
function naiveConv(input: Tensor, layer: Conv2d): { shape: number[]; values: number[] } {
  const [batch, channels, height, width] = input.shape as [number, number, number, number];
  const [kernelH, kernelW] = layer.kernelSize;
  const [strideH, strideW] = layer.stride;
  const [dilationH, dilationW] = layer.dilation;
  const [padTop, padLeft, padBottom, padRight] = layer.pads as [number, number, number, number];
  const outH = Math.floor((height + padTop + padBottom - dilationH * (kernelH - 1) - 1) / strideH) + 1;
  const outW = Math.floor((width + padLeft + padRight - dilationW * (kernelW - 1) - 1) / strideW) + 1;
  const groupIn = channels / layer.groups;
  const groupOut = layer.outChannels / layer.groups;
  const x = input.values as Float32Array;
  const w = layer.weight.values as Float32Array;
  const b = layer.bias?.values as Float32Array | undefined;
  const values: number[] = [];
  for (let n = 0; n < batch; n++)
    for (let o = 0; o < layer.outChannels; o++)
      for (let oy = 0; oy < outH; oy++)
        for (let ox = 0; ox < outW; ox++) {
          let sum = b ? (b[o] as number) : 0;
          const group = Math.floor(o / groupOut);
          for (let c = 0; c < groupIn; c++)
            for (let i = 0; i < kernelH; i++)
              for (let j = 0; j < kernelW; j++) {
                const iy = oy * strideH - padTop + i * dilationH;
                const ix = ox * strideW - padLeft + j * dilationW;
                if (iy < 0 || iy >= height || ix < 0 || ix >= width) continue;
                const channel = group * groupIn + c;
                sum += (x[((n * channels + channel) * height + iy) * width + ix] as number) * (w[((o * groupIn + c) * kernelH + i) * kernelW + j] as number);
              }
          values.push(sum);
        }
  return { shape: [batch, layer.outChannels, outH, outW], values };
}

const CASES: [string, Omit<Conv2dOptions, 'generator'>, number[]][] = [
  ['3×3 pad 1', { inChannels: 2, outChannels: 3, kernelSize: 3, padding: 1 }, [2, 2, 5, 5]],
  ['stride 2, no bias', { inChannels: 2, outChannels: 2, kernelSize: 3, stride: 2, bias: false }, [1, 2, 7, 6]],
  ['rectangular kernel, dilation 2', { inChannels: 1, outChannels: 2, kernelSize: [2, 3], dilation: 2, padding: [1, 2] }, [1, 1, 6, 6]],
  ['groups 2', { inChannels: 4, outChannels: 6, kernelSize: 3, groups: 2, padding: 1 }, [1, 4, 4, 4]],
  ['depthwise', { inChannels: 3, outChannels: 3, kernelSize: 3, groups: 3 }, [2, 3, 5, 5]],
  ["'same' with an even kernel", { inChannels: 2, outChannels: 2, kernelSize: 4, padding: 'same' }, [1, 2, 5, 6]],
];

describe('Conv2d', () => {
  for (const [name, options, shape] of CASES) {
    it(`matches a naive convolution: ${name}`, () => {
      const layer = new Conv2d({ ...options, generator: new Generator(3) });
      const size = shape.reduce((product, dim) => product * dim, 1);
      const input = new Tensor(fromNumbers('float32', shape, pseudoRandom(size, 4)));
      const expected = naiveConv(input, layer);
      expectClose(layer.call(input).data, expected, { rtol: 1e-4, atol: 1e-5 });
      if (options.padding === 'same') expect(expected.shape.slice(2)).toEqual(shape.slice(2));
    });
  }

  it("'same' padding puts the extra row/column at the end, as PyTorch", () => {
    expect(new Conv2d({ inChannels: 1, outChannels: 1, kernelSize: 4, padding: 'same' }).pads).toEqual([1, 1, 2, 2]);
    expect(() => new Conv2d({ inChannels: 1, outChannels: 1, kernelSize: 3, padding: 'same', stride: 2 })).toThrow(ConfigError);
    expect(() => new Conv2d({ inChannels: 3, outChannels: 4, kernelSize: 3, groups: 2 })).toThrow(ConfigError);
  });

  it('passes a finite-difference gradient check (input, weight, bias; stride and groups)', () => {
    const layer = new Conv2d({ inChannels: 2, outChannels: 2, kernelSize: 3, stride: 2, padding: 1, groups: 2, generator: new Generator(8) });
    const input = new Tensor(fromNumbers('float32', [1, 2, 5, 5], pseudoRandom(50, 9)));
    const probe = new Tensor(fromNumbers('float32', [1, 2, 3, 3], pseudoRandom(18, 10)));
    checkGradients(() => F.reduceSum(F.mul(layer.call(input), probe), { keepDims: false }), [input, layer.weight, layer.bias as Tensor]);
  });
});
