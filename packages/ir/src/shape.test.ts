// Shape helpers: strides and flat-index ↔ coordinate conversion.
import { describe, expect, it } from 'vitest';
import { stridesOf, unravelIndex } from './shape.js';

describe('unravelIndex', () => {
  it('inverts row-major flattening for every element of a (2, 3, 4) shape', () => {
    const shape = [2, 3, 4];
    const strides = stridesOf(shape); // [12, 4, 1]
    expect(strides).toEqual([12, 4, 1]);
    for (let index = 0; index < 24; index++) {
      const coordinates = unravelIndex(index, shape);
      expect(coordinates.reduce((flat, coordinate, axis) => flat + coordinate * (strides[axis] as number), 0)).toBe(index);
    }
    expect(unravelIndex(23, shape)).toEqual([1, 2, 3]);
    expect(unravelIndex(0, [])).toEqual([]);
  });
});
