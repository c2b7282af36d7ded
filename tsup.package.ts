// The shared tsup settings of every published package: ESM + CJS + d.ts from src/index.ts,
// built against tsconfig.build.json (workspace packages resolve to their built dist/).
import { type Options, defineConfig } from 'tsup';

export function packageConfig(overrides: Options = {}) {
  return defineConfig({
    entry: ['src/index.ts'],
    format: ['esm', 'cjs'],
    dts: true,
    sourcemap: true,
    clean: true,
    target: 'node20',
    tsconfig: 'tsconfig.build.json',
    ...overrides,
  });
}
