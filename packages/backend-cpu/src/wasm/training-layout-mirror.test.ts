// The host mirrors of the training jobs' layouts (depthwise-train-layout.ts,
// batch-norm-train-layout.ts, im2col-layout.ts) against the AssemblyScript files the module is
// built from: every numeric constant of the assembly file has the same value on the host; and
// the training job kinds do not collide with each other or with the other jobs' kinds.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as batchNormLayout from './batch-norm-train-layout.js';
import * as convLayout from './conv-layout.js';
import * as depthwiseLayout from './depthwise-train-layout.js';
import * as im2colLayout from './im2col-layout.js';
import * as jobLayout from './job-layout.js';

const assemblyDirectory = join(dirname(fileURLToPath(import.meta.url)), '../../assembly');

/** `export const NAME = <integer>;` declarations of an assembly file. */
function declaredConstants(file: string): Map<string, number> {
  const text = readFileSync(join(assemblyDirectory, file), 'utf8');
  const constants = new Map<string, number>();
  for (const match of text.matchAll(/export const (\w+)(?:: \w+)? = (-?\d+);/g)) constants.set(match[1] as string, Number(match[2]));
  return constants;
}

describe('training job layout mirrors', () => {
  it.each([
    ['depthwise-train-layout.ts', depthwiseLayout as Record<string, unknown>],
    ['batch-norm-train-layout.ts', batchNormLayout as Record<string, unknown>],
    ['im2col-layout.ts', im2colLayout as Record<string, unknown>],
  ])('%s: every constant of the assembly file has the same value on the host', (file, host) => {
    const constants = declaredConstants(file);
    expect(constants.size).toBeGreaterThan(10);
    for (const [name, value] of constants) expect({ name, value: host[name] }).toEqual({ name, value });
  });

  it('gives every job kind its own number', () => {
    const kinds = [jobLayout, convLayout, depthwiseLayout, batchNormLayout, im2colLayout].flatMap((module) =>
      Object.entries(module).filter(([name]) => name.startsWith('JOB_')).map(([, value]) => value as number),
    );
    expect(new Set(kinds).size).toBe(kinds.length);
  });
});
