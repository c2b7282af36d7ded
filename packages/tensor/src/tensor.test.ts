// The eager Tensor: metadata, value access, assign, op methods (which must match functional.ts).
import { describe, expect, it } from 'vitest';
import * as F from './functional.js';
import { Tensor } from './tensor.js';

describe('Tensor', () => {
  it('exposes dtype, shape, rank, size and values', () => {
    const x = F.tensor([1, 2, 3, 4, 5, 6], [2, 3]);
    expect([x.dtype, x.shape, x.rank, x.size]).toEqual(['float32', [2, 3], 2, 6]);
    expect(x.values).toBeInstanceOf(Float32Array);
    expect(x.toString()).toBe('Tensor(float32(2, 3))');
    expect(F.tensor([7], [], 'int64').toArray()).toEqual([7]);
  });

  it('item() reads one-element tensors and rejects others', () => {
    expect(F.tensor([2.5], []).item()).toBe(2.5);
    expect(() => F.tensor([1, 2], [2]).item()).toThrow(/one element/);
  });

  it('assign copies values and checks dtype and shape', () => {
    const x = F.zeros([2]);
    x.assign(F.tensor([3, 4], [2]));
    expect(x.toArray()).toEqual([3, 4]);
    expect(() => x.assign(F.zeros([3]))).toThrow(TypeError);
    expect(() => x.assign(F.zeros([2], 'float64'))).toThrow(TypeError);
  });

  it('op methods agree with the functional wrappers', () => {
    const x = F.tensor([0.5, -1, 2, 3], [2, 2]);
    const y = F.tensor([1, 2, 3, 4], [2, 2]);
    expect(x.add(y).toArray()).toEqual(F.add(x, y).toArray());
    expect(x.mul(2).toArray()).toEqual([1, -2, 4, 6]);
    expect(x.matmul(y).toArray()).toEqual(F.matmul(x, y).toArray());
    expect(x.transpose().toArray()).toEqual([0.5, 2, -1, 3]);
    expect(x.sum().toArray()).toEqual([4.5]);
    expect(x.sum([1], false).toArray()).toEqual([-0.5, 5]);
    expect(x.max([0], false).toArray()).toEqual([2, 3]);
    expect(x.argMax(1, false).toArray()).toEqual([0, 1]);
    expect(x.relu().toArray()).toEqual([0.5, 0, 2, 3]);
    expect(x.clip(0, 2).toArray()).toEqual([0.5, 0, 2, 2]);
    expect(x.reshape([4]).shape).toEqual([4]);
    expect(x.unsqueeze([0]).squeeze([0]).shape).toEqual([2, 2]);
    expect(x.cast('float64').dtype).toBe('float64');
  });

  it('requireGrad marks a leaf', () => {
    const x = new Tensor(F.zeros([1]).data);
    expect(x.requiresGrad).toBe(false);
    expect(x.requireGrad().requiresGrad).toBe(true);
    expect(x.requireGrad(false).requiresGrad).toBe(false);
    expect(x.isLeaf).toBe(true);
  });
});
