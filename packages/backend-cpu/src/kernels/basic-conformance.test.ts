// Runs every basic conformance case (test-utils cases/basic-cases.ts) on the CPU backend; each
// case also checks that schema inference agrees with the kernel's output dtype and shape.
import { BASIC_CASES } from '@efficientdl/test-utils';
import { runConformance } from '@efficientdl/test-utils';
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../cpu-backend.js';

describe('basic conformance on CpuBackend', () => {
  const backend = new CpuBackend();
  const results = runConformance(backend, BASIC_CASES);

  it('runs every basic case (the backend declares each op)', () => {
    expect(results.length).toBe(BASIC_CASES.length);
  });

  it('passes every case', () => {
    const failures = results.filter((result) => !result.ok).map((result) => `${result.name}: ${result.message}`);
    if (failures.length > 0) console.error(`basic conformance failures:\n${failures.join('\n')}`);
    expect(failures).toEqual([]);
  });
});
