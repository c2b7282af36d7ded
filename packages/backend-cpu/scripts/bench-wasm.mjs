// Bundles scripts/bench-wasm.ts (TypeScript sources, no build needed besides the wasm) with
// tsup into .bench/ (removed afterwards) and runs it with this process's Node flags, e.g.
//   node scripts/bench-wasm.mjs
//   node --experimental-wasm-relaxed-simd scripts/bench-wasm.mjs
// An optional argument names another entry file to bundle and run instead.
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'tsup';

const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(packageRoot, '.bench');
await build({
  entry: { bench: process.argv[2] ?? join(packageRoot, 'scripts/bench-wasm.ts') },
  format: ['esm'],
  outDir,
  platform: 'node',
  target: 'node20',
  config: false,
  silent: true,
});
try {
  execFileSync(process.execPath, [...process.execArgv, join(outDir, 'bench.js')], { stdio: 'inherit' });
} finally {
  rmSync(outDir, { recursive: true, force: true }); // a bundle, not a source to lint
}
