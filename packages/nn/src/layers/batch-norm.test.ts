// BatchNorm2d: training output against the batch-statistics formula, running statistics against
// PyTorch's update rule (momentum 0.1, unbiased variance), eval against the running-statistics
// formula, and gradients (through the batch statistics) against finite differences.
import { fromNumbers } from '@efficientdl/ir';
import { F, Tensor } from '@efficientdl/tensor';
import { expectClose } from '@efficientdl/test-utils';
import { describe, expect, it } from 'vitest';
import { checkGradients, pseudoRandom } from '../__fixtures__/gradient-check.js';
import { BatchNorm2d } from './batch-norm.js';

// x: (N, C, H, W) = (3, 2, 2, 2)
const shape = [3, 2, 2, 2];
const raw = pseudoRandom(24, 21).map((value, index) => value * 2 + (index % 8 < 4 ? 1 : -3));

/** Per-channel mean and biased variance of raw (N, C, H·W). */
function channelStatistics(values: number[], channels: number, spatial: number): { mean: number[]; variance: number[] } {
  const mean: number[] = [];
  const variance: number[] = [];
  const batch = values.length / (channels * spatial);
  for (let c = 0; c < channels; c++) {
    const items: number[] = [];
    for (let n = 0; n < batch; n++) for (let s = 0; s < spatial; s++) items.push(values[(n * channels + c) * spatial + s] as number);
    const m = items.reduce((sum, value) => sum + value, 0) / items.length;
    mean.push(m);
    variance.push(items.reduce((sum, value) => sum + (value - m) ** 2, 0) / items.length);
  }
  return { mean, variance };
}

function normalize(values: number[], stats: { mean: number[]; variance: number[] }, scale: number[], shift: number[], eps: number): number[] {
  return values.map((value, index) => {
    const c = Math.floor(index / 4) % 2;
    return ((value - (stats.mean[c] as number)) / Math.sqrt((stats.variance[c] as number) + eps)) * (scale[c] as number) + (shift[c] as number);
  });
}

describe('BatchNorm2d', () => {
  it('normalizes with batch statistics in training and updates running statistics like PyTorch', () => {
    const layer = new BatchNorm2d({ numFeatures: 2 });
    (layer.getParameter('weight')?.values as Float32Array).set([2, 0.5]);
    (layer.getParameter('bias')?.values as Float32Array).set([1, -1]);
    const stats = channelStatistics(raw, 2, 4);
    const y = layer.call(new Tensor(fromNumbers('float32', shape, raw)));
    expectClose(y.values as Float32Array, normalize(raw, stats, [2, 0.5], [1, -1], 1e-5), { rtol: 1e-4, atol: 1e-5 });
    const expectedMean = stats.mean.map((m) => 0.1 * m);
    const expectedVar = stats.variance.map((v) => 0.9 + 0.1 * v * (12 / 11));
    expectClose(layer.getBuffer('running_mean')?.values as Float32Array, expectedMean, { rtol: 1e-5, atol: 1e-6 });
    expectClose(layer.getBuffer('running_var')?.values as Float32Array, expectedVar, { rtol: 1e-5, atol: 1e-6 });
    expect(layer.getBuffer('num_batches_tracked')?.toArray()).toEqual([1]);
  });

  it('uses running statistics (ONNX BatchNormalization) in eval and leaves them unchanged', () => {
    const layer = new BatchNorm2d({ numFeatures: 2, eps: 1e-3 });
    (layer.getBuffer('running_mean')?.values as Float32Array).set([0.5, -2]);
    (layer.getBuffer('running_var')?.values as Float32Array).set([4, 0.25]);
    layer.eval();
    const y = layer.call(new Tensor(fromNumbers('float32', shape, raw)));
    const expected = normalize(raw, { mean: [0.5, -2], variance: [4, 0.25] }, [1, 1], [0, 0], 1e-3);
    expectClose(y.values as Float32Array, expected, { rtol: 1e-5, atol: 1e-5 });
    expect(Array.from(layer.getBuffer('running_mean')?.values as Float32Array)).toEqual([0.5, -2]);
    expect(layer.getBuffer('num_batches_tracked')?.toArray()).toEqual([0]);
  });

  it('without running statistics always uses the batch', () => {
    const layer = new BatchNorm2d({ numFeatures: 2, trackRunningStats: false, affine: false }).eval();
    const y = layer.call(new Tensor(fromNumbers('float32', shape, raw)));
    expectClose(y.values as Float32Array, normalize(raw, channelStatistics(raw, 2, 4), [1, 1], [0, 0], 1e-5), { rtol: 1e-4, atol: 1e-5 });
    expect([...layer.namedTensors()]).toHaveLength(0);
  });

  it('backpropagates through the batch statistics (finite differences)', () => {
    const layer = new BatchNorm2d({ numFeatures: 2 });
    (layer.getParameter('weight')?.values as Float32Array).set([1.5, 0.7]);
    const x = new Tensor(fromNumbers('float32', shape, raw));
    const probe = new Tensor(fromNumbers('float32', shape, pseudoRandom(24, 22)));
    const loss = () => F.reduceSum(F.mul(layer.call(x), probe), { keepDims: false });
    checkGradients(loss, [x, layer.getParameter('weight') as Tensor, layer.getParameter('bias') as Tensor], { step: 1e-2, rtol: 3e-2, atol: 3e-3 });
  });
});
