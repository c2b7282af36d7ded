// Smoke test of `pnpm bench` (bench/): the runner in --quick mode on the tiny GEMM workloads,
// through the same runCli the command uses — every engine runs, engines agree on the outputs,
// tfjs skips int8, and --json writes exactly [{ workload, engine, ms, gflops }].
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../bench/src/cli.js';
import { measure, median } from '../bench/src/measure.js';
import { parseOptions } from '../bench/src/options.js';

const folder = mkdtempSync(join(tmpdir(), 'bench-smoke-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('bench runner (--quick)', () => {
  it('measures every engine on the tiny GEMMs and writes the JSON rows', async () => {
    const jsonPath = join(folder, 'bench.json');
    const lines: string[] = [];
    await runCli(['--quick', '--only', 'gemm-', '--runs', '3', '--json', jsonPath], { out: (line) => lines.push(line), progress: () => {} });
    const rows = JSON.parse(readFileSync(jsonPath, 'utf8')) as Record<string, unknown>[];
    const pairs = rows.map((row) => `${row.workload} ${row.engine}`).sort();
    expect(pairs).toEqual(
      [
        ...['cpu-ref', 'cpu', 'tfjs-wasm', 'onnxruntime'].flatMap((engine) => [`gemm-fp32-32 ${engine}`, `gemm-fp32-64 ${engine}`]),
        ...['cpu-ref', 'cpu', 'onnxruntime'].flatMap((engine) => [`gemm-int8-32 ${engine}`, `gemm-int8-64 ${engine}`]),
      ].sort(),
    );
    for (const row of rows) {
      expect(Object.keys(row).sort()).toEqual(['engine', 'gflops', 'ms', 'workload']);
      expect(row.ms).toBeGreaterThan(0);
      // 2·64³ operations at the measured time
      if (row.workload === 'gemm-fp32-64') expect(row.gflops as number).toBeCloseTo((2 * 64 ** 3) / ((row.ms as number) * 1e6), 6);
    }
    const table = lines.join('\n');
    expect(table).toContain('tfjs has no int8 MatMulInteger');
    expect(table).toMatch(/gemm-fp32-64\s+onnxruntime\s.*1\.00×/);
  }, 20_000);
});

describe('bench measurement and options', () => {
  it('takes the median and lowers the run count when the time budget is short', async () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    const busy = () => {
      const until = performance.now() + 20;
      while (performance.now() < until);
    };
    const result = await measure(busy, { warmup: 1, warmupMs: 0, runs: 5, budgetSeconds: 0.05 });
    expect(result.runs).toBe(3);
    expect(result.medianMs).toBeGreaterThanOrEqual(20);
  });

  it('rejects unknown engines and options with a ConfigError', () => {
    expect(() => parseOptions(['--engines', 'cpu,gpu'])).toThrow(/--engines/);
    expect(() => parseOptions(['--fast'])).toThrow(/unknown option '--fast'/);
    expect(parseOptions(['--only', 'conv', '--runs', '7', '--quick'])).toMatchObject({ only: 'conv', runs: 7, quick: true });
  });
});
