// Build: ESM + d.ts for the library entry (src/index.ts) and the executable (src/cli.ts, which
// keeps its #!/usr/bin/env node shebang); workspace packages and npm dependencies stay external.
import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/cli.ts'],
  format: ['esm'],
  dts: { entry: 'src/index.ts' },
  sourcemap: true,
  clean: true,
  target: 'node20',
  tsconfig: 'tsconfig.build.json',
});
