// Transpose and Slice on a 4-D tensor against naive coordinate oracles (every permutation; mixed
// positive/negative steps), and the empty-tensor paths.
import { type TensorData, fromNumbers, toNumberArray } from '@efficientdl/ir';
import { describe, expect, it } from 'vitest';
import { SLICE_KERNELS } from './slice.js';
import { TRANSPOSE_KERNELS } from './transpose.js';

const SHAPE = [2, 3, 4, 5];
const input = fromNumbers('float32', SHAPE, Array.from({ length: 120 }, (_, index) => index));
const flat = (c: number[], shape: number[]) => c.reduce((index, coordinate, axis) => index * (shape[axis] as number) + coordinate, 0);
const context = (op: string) => ({ op, node: `test_${op}`, outputCount: 1 });

function permutations(items: number[]): number[][] {
  if (items.length <= 1) return [items];
  return items.flatMap((item, index) => permutations([...items.slice(0, index), ...items.slice(index + 1)]).map((rest) => [item, ...rest]));
}

function coordinatesOf(shape: number[]): number[][] {
  const total = shape.reduce((p, d) => p * d, 1);
  return Array.from({ length: total }, (_, index) => {
    const coordinates: number[] = [];
    for (let axis = shape.length - 1; axis >= 0; axis--) {
      coordinates.unshift(index % (shape[axis] as number));
      index = Math.floor(index / (shape[axis] as number));
    }
    return coordinates;
  });
}

describe('Transpose against a coordinate oracle', () => {
  const transpose = TRANSPOSE_KERNELS[0]!.kernel;
  it('matches out[c] = in[c permuted back] for all 24 permutations', () => {
    for (const perm of permutations([0, 1, 2, 3])) {
      const [out] = transpose([input], { perm }, context('Transpose'));
      const outShape = perm.map((axis) => SHAPE[axis] as number);
      expect(out!.shape).toEqual(outShape);
      const values = toNumberArray(out!);
      for (const c of coordinatesOf(outShape)) {
        const source: number[] = [];
        perm.forEach((axis, index) => (source[axis] = c[index] as number));
        expect(values[flat(c, outShape)]).toBe(flat(source, SHAPE));
      }
    }
  });
});

describe('Slice against a coordinate oracle', () => {
  const slice = SLICE_KERNELS[0]!.kernel;
  const ints = (values: number[]) => fromNumbers('int64', [values.length], values);
  it('mixed steps on several axes', () => {
    // axis 1: 2 → 0 step -1 (indices 2, 1); axis 3: -5 → 5 step 2 (indices 0, 2, 4); axis 2: 1 → end
    const [out] = slice([input, ints([2, -5, 1]), ints([0, 5, 100]), ints([1, 3, 2]), ints([-1, 2, 1])], {}, context('Slice'));
    const outShape = [2, 2, 3, 3];
    expect(out!.shape).toEqual(outShape);
    const values = toNumberArray(out!);
    for (const [a, b, c, d] of coordinatesOf(outShape) as [number, number, number, number][]) {
      expect(values[flat([a, b, c, d], outShape)]).toBe(flat([a, 2 - b, 1 + c, 2 * d], SHAPE));
    }
  });
  it('returns empty tensors for empty ranges and empty inputs', () => {
    const empty: TensorData = fromNumbers('float32', [0, 3], []);
    const [fromEmpty] = slice([empty, ints([0]), ints([2]), ints([1])], {}, context('Slice'));
    expect(fromEmpty!.shape).toEqual([0, 2]);
  });
});
