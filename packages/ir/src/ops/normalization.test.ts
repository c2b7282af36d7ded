// Schema tests for BatchNormalization / LayerNormalization / GroupNormalization /
// InstanceNormalization / Softmax / LogSoftmax: optional outputs, stash_type, channel checks.
import { describe, expect, it } from 'vitest';
import { DTypeError, ShapeError } from '../errors.js';
import { expectInferError, infer, info } from './schema-test-support.js';

const f = (shape: (number | string)[]) => info('float32', shape);
const bnInputs = (channels: number) => [f(['N', 4, 5, 5]), f([channels]), f([channels]), f([channels]), f([channels])];

describe('BatchNormalization', () => {
  it('inference mode has one output', () => {
    expect(infer('BatchNormalization', bnInputs(4))).toEqual([{ dtype: 'float32', shape: ['N', 4, 5, 5] }]);
    expectInferError(() => infer('BatchNormalization', bnInputs(4), { outputCount: 3 }), ShapeError, 'BatchNormalization');
  });

  it('training mode adds running mean / var outputs of shape (C)', () => {
    const outputs = infer('BatchNormalization', bnInputs(4), { attrs: { training_mode: 1 }, outputCount: 3 });
    expect(outputs.slice(1)).toEqual([
      { dtype: 'float32', shape: [4] },
      { dtype: 'float32', shape: [4] },
    ]);
  });

  it('rejects parameter vectors of the wrong length', () => {
    const error = expectInferError(() => infer('BatchNormalization', bnInputs(3), { node: 'bn1' }), ShapeError, 'BatchNormalization', 'bn1');
    expect(error.message).toContain('C=4');
  });
});

describe('LayerNormalization', () => {
  it('normalizes from axis on; Mean/InvStdDev have 1s there and stash_type dtype', () => {
    const outputs = infer('LayerNormalization', [info('float16', [2, 'S', 8]), info('float16', [8]), info('float16', [8])], { outputCount: 3 });
    expect(outputs).toEqual([
      { dtype: 'float16', shape: [2, 'S', 8] },
      { dtype: 'float32', shape: [2, 'S', 1] },
      { dtype: 'float32', shape: [2, 'S', 1] },
    ]);
    const axis1 = infer('LayerNormalization', [f([2, 3, 4]), f([3, 4])], { attrs: { axis: -2 }, outputCount: 2 });
    expect(axis1[1]?.shape).toEqual([2, 1, 1]);
  });

  it('rejects scale shapes that do not match the normalized dims and bad axes', () => {
    expectInferError(() => infer('LayerNormalization', [f([2, 3, 4]), f([5])]), ShapeError, 'LayerNormalization');
    expectInferError(() => infer('LayerNormalization', [f([2, 3]), f([3])], { attrs: { axis: 2 } }), ShapeError, 'LayerNormalization');
    expectInferError(() => infer('LayerNormalization', [f([2, 3]), f([3])], { attrs: { stash_type: 7 }, outputCount: 2 }), DTypeError, 'LayerNormalization');
  });
});

describe('GroupNormalization and InstanceNormalization', () => {
  it('check channels against groups and per-channel parameters', () => {
    expect(infer('GroupNormalization', [f([2, 6, 4, 4]), f([6]), f([6])], { attrs: { num_groups: 3 } })[0]?.shape).toEqual([2, 6, 4, 4]);
    expectInferError(() => infer('GroupNormalization', [f([2, 6, 4]), f([6]), f([6])], { attrs: { num_groups: 4 } }), ShapeError, 'GroupNormalization');
    expect(infer('InstanceNormalization', [f([2, 3, 4, 4]), f([3]), f([3])])[0]?.shape).toEqual([2, 3, 4, 4]);
    expectInferError(() => infer('InstanceNormalization', [f([2, 3, 4]), f([2]), f([3])]), ShapeError, 'InstanceNormalization');
  });
});

describe('Softmax / LogSoftmax', () => {
  it('keep shape; negative axes are checked', () => {
    expect(infer('Softmax', [f(['N', 10])], { attrs: { axis: -1 } })[0]?.shape).toEqual(['N', 10]);
    expect(infer('LogSoftmax', [f([2, 3])], { attrs: { axis: 0 } })[0]?.shape).toEqual([2, 3]);
    expectInferError(() => infer('Softmax', [f([2, 3])], { attrs: { axis: -3 } }), ShapeError, 'Softmax');
    expectInferError(() => infer('Softmax', [info('int32', [2, 3])]), DTypeError, 'Softmax');
  });
});
