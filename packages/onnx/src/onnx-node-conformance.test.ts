// Runs every ONNX backend node test in ../shared/data/onnx-node through importOnnx + runGraph on
// the cpu engine (rtol 1e-3, atol 1e-7, ONNX's backend-test defaults). Each case passes, fails
// (with a reason) or is skipped (out-of-scope dtype). Failures must all be listed in
// __fixtures__/known-failures.json: a new failure fails the test, a fixed one is reported so the
// list can shrink (UPDATE_ONNX_KNOWN_FAILURES=1 rewrites it).
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { EfficientDLError } from '@efficientdl/ir';
import { hasSharedData, listNodeTests, loadNodeTest, runNodeTestDataset, sharedDataPath } from '@efficientdl/test-utils';
import { describe, expect, it } from 'vitest';

const TOLERANCE = { rtol: 1e-3, atol: 1e-7 };
const KNOWN_FAILURES_FILE = new URL('./__fixtures__/known-failures.json', import.meta.url);

type Outcome = { status: 'pass' } | { status: 'fail' | 'skip'; reason: string };

/** Out of scope by design: float8/float4/2-bit/string dtypes (flagged by the importer). */
function outOfScope(_name: string, error: unknown): string | undefined {
  if (error instanceof EfficientDLError && error.context.outOfScope) return error.message;
  return undefined;
}

function describeError(stage: string, error: unknown): string {
  if (error instanceof Error) return `${stage}: ${error.name}: ${error.message}`;
  return `${stage}: ${String(error)}`;
}

function runCase(folder: string): Outcome {
  const name = basename(folder);
  let test: ReturnType<typeof loadNodeTest>;
  try {
    test = loadNodeTest(folder);
  } catch (error) {
    const skip = outOfScope(name, error);
    return skip ? { status: 'skip', reason: skip } : { status: 'fail', reason: describeError('import', error) };
  }
  if (test.datasets.length === 0) return { status: 'fail', reason: 'no test_data_set_* folders' };
  for (const dataset of test.datasets) {
    let reason = '';
    try {
      const comparison = runNodeTestDataset(test.graph, dataset, TOLERANCE);
      if (comparison.ok) continue;
      reason = `mismatch: ${comparison.reason}`;
    } catch (error) {
      reason = describeError('run', error);
    }
    const skip = outOfScope(name, undefined);
    return skip ? { status: 'skip', reason: `${skip} (${reason})` } : { status: 'fail', reason };
  }
  return { status: 'pass' };
}

describe.skipIf(!hasSharedData('onnx-node'))('ONNX backend node tests on cpu', () => {
  it('every case passes, is skipped as out of scope, or is a known failure', () => {
    const known = JSON.parse(readFileSync(KNOWN_FAILURES_FILE, 'utf8')) as Record<string, string>;
    const folders = listNodeTests(sharedDataPath('onnx-node'));
    expect(folders.length).toBeGreaterThan(300);
    const failures: Record<string, string> = {};
    const counts = { pass: 0, fail: 0, skip: 0 };
    for (const folder of folders) {
      const outcome = runCase(folder);
      counts[outcome.status]++;
      if (outcome.status === 'fail') failures[basename(folder)] = outcome.reason;
      if (process.env.DEBUG_SKIPS && outcome.status === 'skip') console.log('skip', basename(folder), outcome.reason);
    }
    console.log(`ONNX node tests: ${counts.pass} passed, ${counts.fail} failed, ${counts.skip} skipped`);
    const fixed = Object.keys(known).filter((name) => !(name in failures));
    if (fixed.length > 0) console.log(`now passing (remove from known-failures.json): ${fixed.join(', ')}`);
    if (process.env.UPDATE_ONNX_KNOWN_FAILURES) writeFileSync(KNOWN_FAILURES_FILE, `${JSON.stringify(failures, null, 2)}\n`);
    const unexpected = Object.entries(failures).filter(([name]) => !(name in known));
    expect(unexpected.map(([name, reason]) => `${name}: ${reason}`)).toEqual([]);
  });
});
