// Build: the two command-line entry points and the model module (ESM) into dist/; workspace
// packages stay external.
import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/demo.ts', 'src/train.ts', 'src/distill-experiment.ts', 'src/prune-experiment.ts', 'src/sparsity-experiment.ts', 'src/quantize-advanced-experiment.ts', 'src/quantize-experiment.ts', 'src/index.ts'],
  format: ['esm'],
  dts: false,
  sourcemap: true,
  clean: true,
  target: 'node20',
  tsconfig: 'tsconfig.build.json',
  banner: { js: '#!/usr/bin/env node' },
});
