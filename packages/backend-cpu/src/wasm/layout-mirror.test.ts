// The host mirrors of the WebAssembly job layouts (src/wasm/job-layout.ts, conv-layout.ts) against
// the AssemblyScript sources the module is built from: every numeric constant declared in the
// assembly file has the same value on the host, so host and module read the same words; and the
// float32 kernel's tile and blocks the host partitions by.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as convLayout from './conv-layout.js';
import * as jobLayout from './job-layout.js';

const assemblyDirectory = join(dirname(fileURLToPath(import.meta.url)), '../../assembly');

/** `export const NAME = <integer>;` declarations of an assembly file. */
function declaredConstants(file: string): Map<string, number> {
  const text = readFileSync(join(assemblyDirectory, file), 'utf8');
  const constants = new Map<string, number>();
  for (const match of text.matchAll(/export const (\w+)(?:: \w+)? = (-?\d+);/g)) constants.set(match[1] as string, Number(match[2]));
  return constants;
}

describe('job layout mirrors', () => {
  it('gemm-f32.ts: the micro-tile and cache blocks the host assumes', () => {
    const constants = declaredConstants('gemm-f32.ts');
    expect([jobLayout.F32_MICRO_ROWS, jobLayout.F32_MICRO_COLS, jobLayout.F32_BLOCK_K, jobLayout.F32_BLOCK_M]).toEqual(
      ['MR', 'NR', 'BLOCK_K', 'BLOCK_M'].map((name) => constants.get(name)),
    );
  });

  it.each([
    ['conv-layout.ts', convLayout as Record<string, unknown>],
    ['job-layout.ts', jobLayout as Record<string, unknown>],
  ])('%s: every constant of the assembly file has the same value on the host', (file, host) => {
    const constants = declaredConstants(file);
    expect(constants.size).toBeGreaterThan(10);
    for (const [name, value] of constants) {
      if (name === 'TILE_OFFSET') continue; // assembly-only: scratch inside a slot
      expect({ name, value: host[name] }).toEqual({ name, value });
    }
  });
});
