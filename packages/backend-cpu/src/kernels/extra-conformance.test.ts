// Runs the conformance cases of the ops added for ONNX conformance (quantized, GatherND/ScatterND/
// Einsum, ConstantOfShape/LRN/Sum/Mean/Max/Min/NonMaxSuppression, cubic and antialiased Resize) on
// the CPU backend; each case also checks that inference agrees with the kernel's dtype and shape.
import { ALL_CASES, BASIC_CASES, NN_CASES, runConformance } from '@efficientdl/test-utils';
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../cpu-backend.js';

const EXTRA_CASES = ALL_CASES.filter((testCase) => !BASIC_CASES.includes(testCase) && !NN_CASES.includes(testCase));

describe('extra-op conformance on CpuBackend', () => {
  const results = runConformance(new CpuBackend(), EXTRA_CASES);

  it('runs every extra case (the backend declares each op)', () => {
    expect(EXTRA_CASES.length).toBeGreaterThan(40);
    expect(results.length).toBe(EXTRA_CASES.length);
  });

  it('passes every case', () => {
    const failures = results.filter((result) => !result.ok).map((result) => `${result.name}: ${result.message}`);
    expect(failures).toEqual([]);
  });
});
