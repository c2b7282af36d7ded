// The backend conformance suite: every case written once (cases/*.ts), run on every backend
// that declares the op. Use `defineConformanceTests(backend)` inside a vitest file.
import type { Backend, TensorData } from '@efficientdl/ir';
import { ALL_CASES } from './cases/index.js';
import type { OpCase } from './op-case.js';
import { type CaseResult, runCase } from './run-case.js';

/** Cases whose op the backend declares support for (by the first input's dtype). */
export function casesFor(backend: Backend<TensorData>, cases: readonly OpCase[] = ALL_CASES): OpCase[] {
  return cases.filter((testCase) => {
    const dtypes = testCase.inputs.filter((input): input is TensorData => input !== undefined).map((input) => input.dtype);
    return backend.supports(testCase.op, dtypes, testCase.domain ?? '');
  });
}

/** Runs all applicable cases and returns their results. */
export function runConformance(backend: Backend<TensorData>, cases: readonly OpCase[] = ALL_CASES): CaseResult[] {
  return casesFor(backend, cases).map((testCase) => runCase(backend, testCase));
}
