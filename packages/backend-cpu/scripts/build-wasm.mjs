// Builds the GEMM WebAssembly modules from assembly/ (AssemblyScript) into wasm/:
//   gemm-simd.wasm          WebAssembly SIMD + threads (shared, imported memory)
//   gemm-relaxed-simd.wasm  the same with relaxed SIMD (f32x4.relaxed_madd)
// The runtime loader (src/wasm/load-module.ts) picks relaxed when the engine validates it.
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import asc from 'assemblyscript/asc';

const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const outputDirectory = join(packageRoot, 'wasm');
mkdirSync(outputDirectory, { recursive: true });

// Memory: imported, shared, 64 KiB initial; the host grows it (maximum 2 GiB).
const common = [
  join(packageRoot, 'assembly/index.ts'),
  '-O3', '--noAssert', '--runtime', 'stub', '--use', 'abort=',
  '--importMemory', '--sharedMemory', '--initialMemory', '1', '--maximumMemory', '32768',
  '--enable', 'simd', '--enable', 'threads',
];
const variants = [
  { file: 'gemm-simd.wasm', flags: [] },
  { file: 'gemm-relaxed-simd.wasm', flags: ['--enable', 'relaxed-simd'] },
];

for (const variant of variants) {
  const { error, stderr } = await asc.main([...common, ...variant.flags, '--outFile', join(outputDirectory, variant.file)]);
  if (error) {
    console.error(stderr.toString());
    throw new Error(`build-wasm: ${variant.file} failed: ${error.message}`);
  }
}
console.log(`build-wasm: wrote ${variants.map((variant) => variant.file).join(', ')} to ${outputDirectory}`);
