// Test fixtures of the convolution tests: a problem description (sizes, strides, dilations,
// asymmetric pads), its Conv2dShape, and the naive enumeration of every product x·w that
// contributes to an output element (the float64 oracle of forward and both gradients).
import type { Conv2dShape } from '../conv2d.js';

export interface Problem {
  batch: number;
  inChannels: number;
  outChannels: number;
  group: number;
  input: [number, number];
  kernel: [number, number];
  stride?: [number, number];
  dilation?: [number, number];
  /** top, left, bottom, right */
  pads?: [number, number, number, number];
}

export function shapeOf(problem: Problem): Conv2dShape {
  const [inHeight, inWidth] = problem.input;
  const [kernelHeight, kernelWidth] = problem.kernel;
  const [strideHeight, strideWidth] = problem.stride ?? [1, 1];
  const [dilationHeight, dilationWidth] = problem.dilation ?? [1, 1];
  const [padTop, padLeft, padBottom, padRight] = problem.pads ?? [0, 0, 0, 0];
  const outHeight = Math.floor((inHeight + padTop + padBottom - dilationHeight * (kernelHeight - 1) - 1) / strideHeight) + 1;
  const outWidth = Math.floor((inWidth + padLeft + padRight - dilationWidth * (kernelWidth - 1) - 1) / strideWidth) + 1;
  return {
    batch: problem.batch, inChannels: problem.inChannels, outChannels: problem.outChannels, group: problem.group,
    inHeight, inWidth, kernelHeight, kernelWidth, strideHeight, strideWidth, padTop, padLeft,
    dilationHeight, dilationWidth, outHeight, outWidth,
  };
}

/** Calls visit(yIndex, xIndex, wIndex) for every product x·w that contributes to y. */
export function forEachTerm(shape: Conv2dShape, visit: (yIndex: number, xIndex: number, wIndex: number) => void): void {
  const s = shape;
  const channelsPerGroup = s.inChannels / s.group;
  const outPerGroup = s.outChannels / s.group;
  for (let n = 0; n < s.batch; n++)
    for (let m = 0; m < s.outChannels; m++)
      for (let oh = 0; oh < s.outHeight; oh++)
        for (let ow = 0; ow < s.outWidth; ow++)
          for (let c = 0; c < channelsPerGroup; c++)
            for (let kh = 0; kh < s.kernelHeight; kh++)
              for (let kw = 0; kw < s.kernelWidth; kw++) {
                const ih = oh * s.strideHeight - s.padTop + kh * s.dilationHeight;
                const iw = ow * s.strideWidth - s.padLeft + kw * s.dilationWidth;
                if (ih < 0 || ih >= s.inHeight || iw < 0 || iw >= s.inWidth) continue;
                const channel = Math.floor(m / outPerGroup) * channelsPerGroup + c;
                const yIndex = ((n * s.outChannels + m) * s.outHeight + oh) * s.outWidth + ow;
                const xIndex = ((n * s.inChannels + channel) * s.inHeight + ih) * s.inWidth + iw;
                const wIndex = ((m * channelsPerGroup + c) * s.kernelHeight + kh) * s.kernelWidth + kw;
                visit(yIndex, xIndex, wIndex);
              }
}

/** y (float64) = conv(x, w) + bias, by forEachTerm. */
export function naiveConv(shape: Conv2dShape, x: ArrayLike<number>, w: ArrayLike<number>, bias?: ArrayLike<number>): Float64Array {
  const plane = shape.outHeight * shape.outWidth;
  const y = new Float64Array(shape.batch * shape.outChannels * plane);
  if (bias) for (let index = 0; index < y.length; index++) y[index] = bias[Math.floor(index / plane) % shape.outChannels] as number;
  forEachTerm(shape, (yIndex, xIndex, wIndex) => {
    y[yIndex] = (y[yIndex] as number) + (x[xIndex] as number) * (w[wIndex] as number);
  });
  return y;
}
