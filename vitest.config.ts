// Root vitest config: tests run on TypeScript sources; workspace packages resolve to src/.
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export default defineConfig({
  resolve: {
    alias: {
      '@efficientdl/ir': source('./packages/ir/src/index.ts'),
      '@efficientdl/tensor': source('./packages/tensor/src/index.ts'),
      '@efficientdl/backend-cpu': source('./packages/backend-cpu/src/index.ts'),
      '@efficientdl/backend-tfjs': source('./packages/backend-tfjs/src/index.ts'),
      '@efficientdl/backend-onnxruntime': source('./packages/backend-onnxruntime/src/index.ts'),
      '@efficientdl/nn': source('./packages/nn/src/index.ts'),
      '@efficientdl/distill': source('./packages/distill/src/index.ts'),
      '@efficientdl/prune': source('./packages/prune/src/index.ts'),
      '@efficientdl/quantize': source('./packages/quantize/src/index.ts'),
      '@efficientdl/nas': source('./packages/nas/src/index.ts'),
      '@efficientdl/onnx': source('./packages/onnx/src/index.ts'),
      '@efficientdl/cli': source('./packages/cli/src/index.ts'),
      '@efficientdl/test-utils': source('./test-utils/src/index.ts'),
      '@efficientdl/app-fashion-mnist': source('./apps/fashion-mnist/src/index.ts'),
    },
  },
  test: {
    include: ['packages/*/src/**/*.test.ts', 'apps/*/src/**/*.test.ts', 'test-utils/src/**/*.test.ts', 'tests/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'threads',
  },
});
