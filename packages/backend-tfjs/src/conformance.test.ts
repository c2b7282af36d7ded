// Conformance of the tfjs backend on the shared suite (BASIC_CASES + NN_CASES) plus this
// package's extra cases, on the auto-detected tfjs backend (wasm here) and on tfjs's plain-JS
// cpu backend. runConformance runs the cases whose op and input dtypes the backend declares.
// A declared case may be DECLINED at run time (an attribute or value tfjs cannot express
// exactly): it must then fail with UnsupportedOpError naming backend 'tfjs', and it must be
// listed in DECLINED with its reason. Every other declared case must pass with the case's own
// tolerance: no tolerance is loosened for tfjs.
import { BASIC_CASES, type CaseResult, NN_CASES, type OpCase, casesFor, runConformance } from '@efficientdl/test-utils';
import { describe, expect, it } from 'vitest';
import { EXTRA_CASES } from './__fixtures__/extra-cases.js';
import { type TfjsBackend, type TfjsPreference, createTfjsBackend } from './index.js';

const SHARED_CASES: readonly OpCase[] = [...BASIC_CASES, ...NN_CASES];

/** Declared cases the backend refuses at run time, and why. */
const DECLINED: Readonly<Record<string, string>> = {
  'Add/int64_exact': 'int64 values beyond 2^31 (tfjs computes int64 in int32)',
  'Cast/int32_to_uint8_wraps': 'target dtype uint8 does not exist in tfjs',
  'Cast/float_to_float16_rounds_even': 'target dtype float16 does not exist in tfjs',
  'Cast/float_to_bfloat16_rounds_even': 'target dtype bfloat16 does not exist in tfjs',
  'Cast/float_to_uint4': 'target dtype uint4 does not exist in tfjs',
  'MaxPool/2x2_stride2_with_indices': 'the Indices output (no argmax pooling on every tfjs backend)',
  'MaxPool/column_major_indices_second_channel': 'the Indices output',
};

const isDecline = (result: CaseResult) => result.message.startsWith('UnsupportedOpError') && result.message.includes("backend 'tfjs'");

function summarize(backend: TfjsBackend, cases: readonly OpCase[]) {
  const results = runConformance(backend, cases);
  const declined = results.filter((result) => !result.ok && isDecline(result)).map((result) => result.name);
  const failures = results.filter((result) => !result.ok && !isDecline(result)).map((result) => `${result.name}: ${result.message}`);
  return { declared: casesFor(backend, cases).length, passed: results.filter((result) => result.ok).length, declined, failures };
}

describe.each<TfjsPreference>(['node', 'cpu'])('tfjs backend conformance (prefer %s)', (prefer) => {
  it('passes every declared shared case it does not decline, and declines only the listed ones', async () => {
    const backend = await createTfjsBackend({ prefer });
    const tally = summarize(backend, SHARED_CASES);
    expect(tally.failures, backend.describe()).toEqual([]);
    expect(tally.declined.sort()).toEqual(Object.keys(DECLINED).sort());
    // At the time of writing: 278 shared cases, 231 declared (float64/float16/int8/uint8/int4
    // inputs, quantization and ai.efficientdl training ops are not), 224 pass, 7 declined.
    expect(tally.passed + tally.declined.length).toBe(tally.declared);
    expect(tally.declared).toBeGreaterThanOrEqual(231);
  });

  it('passes the extra cases (ops and modes the shared suite covers only with other dtypes)', async () => {
    const backend = await createTfjsBackend({ prefer });
    const tally = summarize(backend, EXTRA_CASES);
    expect([...tally.failures, ...tally.declined]).toEqual([]);
    expect(tally.declared).toBe(EXTRA_CASES.length);
  });
});
