// Build: the benchmark runner as one ESM file.
import { defineConfig } from 'tsup';

export default defineConfig({ entry: ['src/index.ts'], format: ['esm'], clean: true, target: 'node20' });
