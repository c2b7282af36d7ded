// Build: ESM + CJS + d.ts from src/index.ts; workspace packages stay external. The GEMM
// WebAssembly modules (built into wasm/ by scripts/build-wasm.mjs) are copied next to the bundle.
import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  target: 'node20',
  tsconfig: 'tsconfig.build.json',
  publicDir: 'wasm',
});
