// main(): exit codes and one-line typed errors (never a stack trace for EfficientDLError),
// usage errors with exit code 2.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './__fixtures__/run-cli.js';

describe('main', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'efficientdl-cli-main-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('a missing model file is one E_CONFIG line and exit code 1', async () => {
    const result = await runCli(['inspect', join(scratch, 'missing.onnx')]);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`error [E_CONFIG]: model '${join(scratch, 'missing.onnx')}' does not exist\n`);
    expect(result.stdout).toBe('');
  });

  it('a malformed model is one E_MODEL_FORMAT line and exit code 1, without a stack trace', async () => {
    const broken = join(scratch, 'broken.onnx');
    writeFileSync(broken, new Uint8Array([0x0a, 0xff, 0xff, 0xff, 0x0f, 1, 2, 3]));
    for (const command of [['inspect', broken], ['run', broken]]) {
      const result = await runCli(command);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^error \[E_MODEL_FORMAT\]: .*broken\.onnx/);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('usage errors exit with code 2', async () => {
    expect((await runCli([])).code).toBe(2);
    expect((await runCli(['frobnicate'])).code).toBe(2);
    expect((await runCli(['conformance', scratch, '--backend', 'cuda'])).code).toBe(2);
    expect((await runCli(['inspect', 'model.onnx', '--dims', 'N'])).code).toBe(2);
    expect((await runCli(['eval', 'model.onnx', '--images', 'i', '--labels', 'l', '--limit', '0'])).code).toBe(2);
    expect((await runCli(['conformance', scratch, '--filter', '('])).stderr).toMatch(/^error: --filter/);
  });

  it('--help and --version succeed', async () => {
    const help = await runCli(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('conformance');
    expect((await runCli(['--version'])).stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
