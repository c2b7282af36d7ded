// Gradchecks (float64) of Slice (steps, negative steps, clamped ends), Gather (axes, negative and
// repeated indices), TopK (values scattered back) and Pad (constant incl. cropping, edge, reflect).
import { gradcheck, gradcheckTensor } from '@efficientdl/test-utils';
import { describe, expect, it } from 'vitest';
import { runOp, runUnary } from '../engine.js';
import * as F from '../functional.js';
import { sliceIndices } from './indexing.js';

const input = (shape: number[], seed: number) => gradcheckTensor(shape, { seed });

describe('Slice gradient', () => {
  it('selects the ONNX positions (clamping, negative steps)', () => {
    expect(sliceIndices({ start: 1, end: 100, step: 2, dim: 6 })).toEqual([1, 3, 5]);
    expect(sliceIndices({ start: -1, end: -100, step: -2, dim: 5 })).toEqual([4, 2, 0]);
    expect(sliceIndices({ start: 10, end: 0, step: -1, dim: 4 })).toEqual([3, 2, 1]);
  });

  it('contiguous slices on several axes', () => {
    gradcheck((x) => F.slice(x, [1, 0], [3, 2], [0, 2]), [input([4, 3, 3], 1)]);
    gradcheck((x) => F.slice(x, [-2], [1000], [1]), [input([2, 5], 2)]);
  });

  it('strided and reversed slices', () => {
    gradcheck((x) => F.slice(x, [0, 4], [5, 0], [0, 1], [2, -1]), [input([6, 5], 3)]);
    gradcheck((x) => F.slice(x, [-1], [-100], [2], [-2]), [input([2, 2, 5], 4)]);
  });
});

describe('Gather gradient', () => {
  it('axis 0 with repeated and negative indices', () => {
    const indices = F.tensor([2, 0, -1, 2], [2, 2], 'int64');
    gradcheck((x) => F.gather(x, indices, 0), [input([3, 4], 5)]);
  });

  it('axis 1 and a scalar index', () => {
    gradcheck((x) => F.gather(x, F.tensor([1, 1, 3], [3], 'int64'), 1), [input([2, 4, 3], 6)]);
    gradcheck((x) => F.gather(x, F.tensor([2], [], 'int32'), -1), [input([2, 3], 7)]);
  });
});

describe('TopK gradient', () => {
  it('scatters value gradients to the chosen positions (largest and smallest, any axis)', () => {
    gradcheck((x) => F.topK(x, 2)[0], [input([3, 5], 8)]);
    gradcheck((x) => F.topK(x, 2, { axis: 0, largest: false })[0], [input([4, 3], 9)]);
  });

  it('TopK with both outputs returned still differentiates the values', () => {
    const x = input([2, 4], 10);
    gradcheck((data) => runOp('TopK', [data, F.int64([3])], { axis: 1 }, { outputCount: 2 })[0] as typeof data, [x]);
  });
});

describe('Pad gradient', () => {
  it('constant mode slices the gradient', () => {
    gradcheck((x) => F.pad(x, [1, 0, 2, 1], 'constant', 0.5), [input([2, 3], 11)]);
  });

  it('constant mode with negative (cropping) pads', () => {
    gradcheck((x) => F.pad(x, [-1, 1, 0, -2]), [input([3, 4], 12)]);
  });

  it('edge and reflect modes scatter-add into the source positions', () => {
    gradcheck((x) => F.pad(x, [2, 1, 0, 2], 'edge'), [input([3, 4], 13)]);
    gradcheck((x) => F.pad(x, [2, 1, 1, 2], 'reflect'), [input([3, 4], 14)]);
  });

  it('wrap mode and the axes input', () => {
    gradcheck((x) => runUnary('Pad', [x, F.int64([1, 2]), undefined, F.int64([-1])], { mode: 'wrap' }), [input([2, 3], 15)]);
  });

  it('the constant value receives the gradient of the padded border', () => {
    gradcheck((x, value) => runUnary('Pad', [x, F.int64([1, 1, 0, 1]), value]), [input([2, 2], 16), input([], 17)]);
  });
});
