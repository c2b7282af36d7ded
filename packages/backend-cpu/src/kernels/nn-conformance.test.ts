// Runs the NN conformance cases (test-utils NN_CASES: hand-computed values and independent
// float64 oracles) on the CPU backend; every case must pass, including the check that schema
// inference agrees with the kernel's output shapes.
import { runConformance } from '@efficientdl/test-utils';
import { NN_CASES } from '@efficientdl/test-utils';
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../cpu-backend.js';

describe('NN conformance on the CPU backend', () => {
  const results = runConformance(new CpuBackend(), NN_CASES);
  it('runs every NN case (each op has a kernel)', () => {
    expect(results.length).toBe(NN_CASES.length);
  });
  for (const result of results) {
    it(result.name, () => {
      expect(result.message).toBe('');
      expect(result.ok).toBe(true);
    });
  }
});
