// Build: the two command-line entry points (ESM) into dist/; workspace packages stay external.
import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/demo.ts', 'src/train.ts'],
  format: ['esm'],
  dts: false,
  sourcemap: true,
  clean: true,
  target: 'node20',
  tsconfig: 'tsconfig.build.json',
  banner: { js: '#!/usr/bin/env node' },
});
