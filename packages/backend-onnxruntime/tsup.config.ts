// Build: ESM + CJS + d.ts from src/index.ts; workspace packages and onnxruntime-node stay
// external. `shims` gives the CJS build an import.meta.url (the worker resolves onnxruntime-node
// from it).
import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: true,
  clean: true,
  shims: true,
  target: 'node20',
  tsconfig: 'tsconfig.build.json',
});
