// `demo`: the whole pipeline in one command on the embedded subset (4000 Fashion-MNIST test
// images: the first 3000 train, the last 1000 test), or on the full dataset with --data <dir>:
// train FashionCnn → channel-prune + fine-tune → int8 static PTQ of both → ONNX → a table of
// params, MACs, file size, backend-cpu latency and test accuracy per model (all measured).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadEmbedded, loadFashionMnist, splitEmbedded } from './datasets.js';
import { DEMO_USAGE, parseDemoOptions } from './demo-options.js';
import { runDemoSteps } from './demo-steps.js';
import { formatDemoTable } from './demo-table.js';
import { exportModelToOnnx } from './export-model.js';
import { runPipeline } from './pipeline.js';

const LATENCY_BATCH = 64;

async function main(): Promise<void> {
  const started = performance.now();
  const options = parseDemoOptions(process.argv.slice(2));
  if (options.help) {
    console.log(DEMO_USAGE);
    return;
  }
  const split = options.data
    ? await loadFashionMnist(options.data, { limit: options.limit })
    : splitEmbedded(await loadEmbedded(), { trainSize: Math.min(3000, options.limit ?? 3000), testSize: 1000 });
  const log = (line: string) => console.log(line);
  log(options.data ? `data: ${options.data}` : 'data: embedded Fashion-MNIST subset (3000 train / 1000 test images)');
  const { model, testAccuracy } = await runPipeline({ ...options, ...split, log });
  log(`test accuracy: ${testAccuracy.toFixed(4)}`);
  if (options.exportOnnx) log(`wrote ${options.exportOnnx} (${await exportModelToOnnx(model, options.exportOnnx)} bytes, ONNX opset 17)`);
  const result = await runDemoSteps(model, { ...options, ...split, latencyBatch: LATENCY_BATCH, log });
  for (const warning of result.warnings) log(`warning: ${warning}`);
  if (options.outDir) {
    mkdirSync(options.outDir, { recursive: true });
    for (const file of result.files) writeFileSync(join(options.outDir, file.name), file.bytes);
    log(`wrote ${result.files.map((file) => join(options.outDir as string, file.name)).join(', ')}`);
  }
  log('');
  log(`${split.test.length} test images; latency: median of ${options.latencyRuns} runs at batch ${LATENCY_BATCH} on backend-cpu (int8 files on integer kernels)`);
  log(formatDemoTable(result.rows, { batch: LATENCY_BATCH }));
  log(`demo finished in ${((performance.now() - started) / 1000).toFixed(0)} s`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
  process.exitCode = 1;
});
