// compareTensors: numpy.isclose semantics with the ONNX backend-test tolerances.
import { tensorData } from '@efficientdl/ir';
import { describe, expect, it } from 'vitest';
import { compareTensors } from './compare.js';

const f32 = (values: number[], shape = [values.length]) => tensorData('float32', shape, new Float32Array(values));

describe('compareTensors', () => {
  it('accepts differences within atol + rtol·|expected| and NaN against NaN', () => {
    expect(compareTensors(f32([100.09, Number.NaN, 0]), f32([100, Number.NaN, 0]))).toBeUndefined();
  });

  it('reports the count and the worst element beyond tolerance', () => {
    const reason = compareTensors(f32([1, 2, 3.5, 4], [2, 2]), f32([1, 2.01, 3, 4], [2, 2]));
    expect(reason).toMatch(/^2 of 4 elements differ/);
    expect(reason).toMatch(/worst at \[1, 0\]: 3.5 vs expected 3/);
  });

  it('fails on dtype, shape, NaN-vs-number and infinity mismatches', () => {
    expect(compareTensors(f32([1]), tensorData('float64', [1], new Float64Array([1])))).toMatch(/dtype float32, expected float64/);
    expect(compareTensors(f32([1, 2]), f32([1, 2], [1, 2]))).toMatch(/shape/);
    expect(compareTensors(f32([Number.NaN]), f32([1]))).toBeDefined();
    expect(compareTensors(f32([Number.POSITIVE_INFINITY]), f32([1e38]))).toBeDefined();
  });
});
