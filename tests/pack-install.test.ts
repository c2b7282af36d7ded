// Release hygiene: packs @efficientdl/tensor and its workspace dependencies as npm tarballs,
// installs them into an empty temporary project with plain npm (no workspace, no network), and
// runs a matmul there — proof that one package installs and works on its own.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');
const packages = ['ir', 'backend-cpu', 'tensor'];
const work = mkdtempSync(join(tmpdir(), 'efficientdl-pack-'));

afterAll(() => rmSync(work, { recursive: true, force: true }));

function pack(name: string): string {
  const folder = join(root, 'packages', name);
  if (!existsSync(join(folder, 'dist', 'index.js'))) throw new Error(`packages/${name} is not built: run pnpm build first`);
  execFileSync('pnpm', ['pack', '--pack-destination', work], { cwd: folder, stdio: 'pipe' });
  const tarball = readdirSync(work).find((file) => file.startsWith(`efficientdl-${name}-`) && file.endsWith('.tgz'));
  if (!tarball) throw new Error(`no tarball for ${name}`);
  return join(work, tarball);
}

describe('packed @efficientdl/tensor', () => {
  it('installs from tarballs into an empty project and multiplies matrices', () => {
    const tarballs = Object.fromEntries(packages.map((name) => [`@efficientdl/${name}`, `file:${pack(name)}`]));
    const project = join(work, 'consumer');
    execFileSync('mkdir', ['-p', project]);
    writeFileSync(
      join(project, 'package.json'),
      JSON.stringify({ name: 'consumer', private: true, type: 'module', dependencies: { '@efficientdl/tensor': tarballs['@efficientdl/tensor'] }, overrides: tarballs }),
    );
    execFileSync('npm', ['install', '--offline', '--no-audit', '--no-fund', '--ignore-scripts'], { cwd: project, stdio: 'pipe' });
    const manifest = JSON.parse(readFileSync(join(project, 'node_modules', '@efficientdl', 'tensor', 'package.json'), 'utf8'));
    expect(manifest.sideEffects).toBe(false);
    expect(manifest.exports['.'].import.types).toBe('./dist/index.d.ts');
    expect(manifest.exports['.'].require.types).toBe('./dist/index.d.cts');
    expect(existsSync(join(project, 'node_modules', '@efficientdl', 'tensor', 'src'))).toBe(false);
    const script = [
      "import { tensor, matmul } from '@efficientdl/tensor';",
      'const a = tensor([1, 2, 3, 4, 5, 6], [2, 3]);',
      'const b = tensor([7, 8, 9, 10, 11, 12], [3, 2]);',
      'console.log(JSON.stringify({ shape: matmul(a, b).shape, values: matmul(a, b).toArray() }));',
    ].join('\n');
    writeFileSync(join(project, 'main.mjs'), script);
    const output = execFileSync('node', ['main.mjs'], { cwd: project, encoding: 'utf8' });
    // [[1,2,3],[4,5,6]] · [[7,8],[9,10],[11,12]] = [[58,64],[139,154]]
    expect(JSON.parse(output)).toEqual({ shape: [2, 2], values: [58, 64, 139, 154] });
    const commonjs = execFileSync('node', ['-e', "const t = require('@efficientdl/tensor'); console.log(t.add(t.tensor([1]), t.tensor([2])).item())"], { cwd: project, encoding: 'utf8' });
    expect(commonjs.trim()).toBe('3');
  });
});
