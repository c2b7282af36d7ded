// Seeded fuzzing of importOnnx: bytes of real models (mnist-8 and a few node tests) are mutated
// (bit flips, byte overwrites, 0xff varint runs, truncation, insertion); every case must import
// or throw an EfficientDLError subclass — never another error, never hang (per-case time bound).
import { readFileSync } from 'node:fs';
import { EfficientDLError } from '@efficientdl/ir';
import { hasSharedData, sharedDataPath } from '@efficientdl/test-utils';
import { describe, expect, it } from 'vitest';
import { importOnnx } from './import-onnx.js';

const SOURCES = [
  ['models', 'mnist-8', 'model.onnx'],
  ['onnx-node', 'test_conv_with_strides_padding', 'model.onnx'],
  ['onnx-node', 'test_resize_upsample_scales_nearest', 'model.onnx'],
  ['onnx-node', 'test_slice', 'model.onnx'],
  ['onnx-node', 'test_gemm_all_attributes', 'model.onnx'],
  ['onnx-node', 'test_constant_pad', 'model.onnx'],
  ['onnx-node', 'test_layer_normalization_2d_axis0', 'model.onnx'],
  ['onnx-node', 'test_reduce_mean_default_axes_keepdims_example', 'model.onnx'],
];
const CASES_PER_SOURCE = 500;
const MAX_CASE_MS = 2000;

/** mulberry32: a tiny seeded PRNG so failures reproduce. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mutate(source: Uint8Array, next: () => number): Uint8Array {
  const pick = (limit: number) => Math.floor(next() * limit);
  const kind = pick(5);
  if (kind === 3) return source.slice(0, pick(source.length));
  if (kind === 4) {
    const at = pick(source.length);
    const extra = Uint8Array.from({ length: 1 + pick(8) }, () => pick(256));
    return Uint8Array.from([...source.subarray(0, at), ...extra, ...source.subarray(at)]);
  }
  const bytes = source.slice();
  const edits = 1 + pick(4);
  for (let edit = 0; edit < edits; edit++) {
    const at = pick(bytes.length);
    if (kind === 0) bytes[at] = (bytes[at] as number) ^ (1 << pick(8));
    else if (kind === 1) bytes[at] = pick(256);
    else bytes.fill(0xff, at, Math.min(bytes.length, at + 1 + pick(9)));
  }
  return bytes;
}

const available = SOURCES.filter((parts) => hasSharedData(...parts));

describe.skipIf(available.length < 2)('importOnnx fuzzing', () => {
  it(`mutated models import or throw typed errors (${available.length * CASES_PER_SOURCE} cases)`, () => {
    const outcomes = { imported: 0, typed: 0 };
    const failures: string[] = [];
    available.forEach((parts, sourceIndex) => {
      const source = new Uint8Array(readFileSync(sharedDataPath(...parts)));
      const next = random(1234 + sourceIndex);
      for (let index = 0; index < CASES_PER_SOURCE; index++) {
        const bytes = mutate(source, next);
        const start = performance.now();
        try {
          importOnnx(bytes, { file: parts.join('/') });
          outcomes.imported++;
        } catch (error) {
          if (error instanceof EfficientDLError) outcomes.typed++;
          else failures.push(`${parts.join('/')} case ${index}: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
        }
        const elapsed = performance.now() - start;
        if (elapsed > MAX_CASE_MS) failures.push(`${parts.join('/')} case ${index}: took ${elapsed.toFixed(0)} ms`);
      }
    });
    expect(outcomes.imported + outcomes.typed + failures.length).toBeGreaterThanOrEqual(1000);
    expect(outcomes.imported).toBeGreaterThan(0);
    expect(outcomes.typed).toBeGreaterThan(0);
    console.log(`fuzz: ${outcomes.imported} imported, ${outcomes.typed} typed errors, ${failures.length} failures`);
    expect(failures).toEqual([]);
  });
});
