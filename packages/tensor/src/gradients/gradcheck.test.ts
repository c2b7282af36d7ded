// The gradcheck oracle itself: it must pass a correct gradient and catch (and describe) a wrong one.
import { GradcheckError, gradcheck, gradcheckReport, gradcheckTensor } from '@efficientdl/test-utils';
import { describe, expect, it } from 'vitest';
import * as F from '../functional.js';

describe('gradcheck', () => {
  it('accepts a correct gradient', () => {
    const report = gradcheck((x, y) => F.mul(x, y), [gradcheckTensor([2, 3], { seed: 1 }), gradcheckTensor([2, 3], { seed: 2 })]);
    expect(report.ok).toBe(true);
    expect(report.op).toBe('Mul');
    expect(report.inputs.map((input) => input.input)).toEqual([0, 1]);
  });

  it('reports op, input, element and diffs for a wrong gradient', () => {
    // x · detach(x): autograd sees only one factor, so its gradient is half the true one.
    const wrong = (x: ReturnType<typeof gradcheckTensor>) => F.mul(x.detach(), x);
    const report = gradcheckReport(wrong, [gradcheckTensor([4], { seed: 3, low: 0.5, high: 1 })]);
    expect(report.ok).toBe(false);
    expect(report.op).toBe('Mul');
    expect(report.inputs[0]?.maxAbsDiff).toBeGreaterThan(0.4);
    expect(report.message).toMatch(/Mul.*FAILED[\s\S]*input 0 \(4\).*worst element \[\d\]/);
    expect(() => gradcheck(wrong, [gradcheckTensor([4], { seed: 3, low: 0.5, high: 1 })])).toThrow(GradcheckError);
  });

  it('checks only the requested inputs and keeps integer inputs out', () => {
    const indices = F.tensor([2, 0], [2], 'int64');
    const report = gradcheck((x, index) => F.gather(x, index, 0), [gradcheckTensor([3, 2], { seed: 4 }), indices]);
    expect(report.inputs.map((input) => input.input)).toEqual([0]);
    const partial = gradcheck((x, y) => F.add(x, y), [gradcheckTensor([2], { seed: 5 }), gradcheckTensor([2], { seed: 6 })], { inputsToCheck: [1] });
    expect(partial.inputs.map((input) => input.input)).toEqual([1]);
  });

  it('keeps values away from non-differentiable points', () => {
    const values = gradcheckTensor([1000], { seed: 7, awayFrom: [0, 0.5], margin: 0.1 }).toArray();
    expect(values.every((value) => Math.abs(value) >= 0.1 && Math.abs(value - 0.5) >= 0.1)).toBe(true);
  });
});
