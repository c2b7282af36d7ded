#!/usr/bin/env node
// Times ONNX models against the first one, in one process, on the engines `efficientdl prune`
// measures with (backend-cpu; onnxruntime with the CLI's 2 intra-op threads) and on onnxruntime with
// one intra-op thread (steadier on a busy machine). Blocks of runs alternate between the models
// (A B A B …) so load changes hit all alike; for each model: median, 10th percentile and minimum
// wall-clock ms per batch and the speed-up against the first file. The apps may not import
// backends (scripts/check-layers.mjs), so prune-experiment.ts prints this command instead.
// Needs the packages built (pnpm build).
//
//   node apps/fashion-mnist/scripts/time-onnx.mjs original.onnx pruned.onnx [--engines cpu,onnxruntime,onnxruntime-1] [--batch 64] [--runs 60]
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { parseArgs } from 'node:util';

const root = new URL('../../../', import.meta.url);
const { createEngine } = await import(new URL('packages/cli/dist/index.js', root).href);
const { importOnnx } = await import(new URL('packages/onnx/dist/index.js', root).href);
const { fromNumbers } = await import(new URL('packages/ir/dist/index.js', root).href);

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    engines: { type: 'string', default: 'cpu,onnxruntime,onnxruntime-1' },
    batch: { type: 'string', default: '64' },
    runs: { type: 'string', default: '60' },
    rounds: { type: 'string', default: '6' },
  },
});
if (positionals.length < 2) throw new Error('usage: time-onnx.mjs original.onnx other.onnx ... [--engines cpu,onnxruntime,onnxruntime-1] [--batch 64] [--runs 60]');
const [batch, runs, rounds] = [Number(values.batch), Number(values.runs), Number(values.rounds)];

let seed = 1;
const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
const pixels = Float32Array.from({ length: batch * 784 }, random); // (batch, 1, 28, 28) in [0, 1)

/** onnxruntime-node directly, one intra-op thread (resolved through backend-onnxruntime's dependency). */
async function singleThreadOrt() {
  const require = createRequire(new URL('packages/backend-onnxruntime/package.json', root));
  const ort = require('onnxruntime-node');
  return {
    description: 'onnxruntime-node, 1 intra-op thread',
    prepare: async (file) => {
      const session = await ort.InferenceSession.create(file, { intraOpNumThreads: 1, interOpNumThreads: 1, graphOptimizationLevel: 'all' });
      const feeds = { [session.inputNames[0]]: new ort.Tensor('float32', pixels, [batch, 1, 28, 28]) };
      return { run: () => session.run(feeds), dispose: () => session.release() };
    },
  };
}

/** An engine of the CLI (`cpu`, `onnxruntime`): graphs imported from the files. */
async function cliEngine(name) {
  const engine = await createEngine(name);
  return {
    description: engine.description,
    prepare: async (file) => {
      const graph = importOnnx(readFileSync(file));
      const runner = await engine.prepare(graph);
      const feeds = { [graph.inputs[0].name]: fromNumbers('float32', [batch, 1, 28, 28], pixels) };
      return { run: () => runner.run(feeds), dispose: () => runner.dispose() };
    },
  };
}

function statistics(times) {
  const sorted = [...times].sort((a, b) => a - b);
  return { median: sorted[Math.floor(sorted.length / 2)], p10: sorted[Math.floor(sorted.length / 10)], min: sorted[0] };
}

async function timeEngine(engine) {
  const runners = [];
  for (const file of positionals) runners.push(await engine.prepare(file));
  const times = runners.map(() => []);
  const perBlock = Math.ceil(runs / rounds);
  for (let round = 0; round < rounds; round++) {
    for (const [index, runner] of runners.entries()) {
      await runner.run(); // warm-up of the block
      for (let run = 0; run < perBlock; run++) {
        const started = performance.now();
        await runner.run();
        times[index].push(performance.now() - started);
      }
    }
  }
  for (const runner of runners) runner.dispose();
  return times.map(statistics);
}

const width = Math.max(...positionals.map((file) => file.length));
for (const name of values.engines.split(',')) {
  const engine = name === 'onnxruntime-1' ? await singleThreadOrt() : await cliEngine(name);
  const stats = await timeEngine(engine);
  const [base] = stats;
  console.log(`${name} (${engine.description}), batch ${batch}, ${Math.ceil(runs / rounds) * rounds} runs per model`);
  for (const [index, file] of positionals.entries()) {
    const s = stats[index];
    const speedup = (key) => `${(base[key] / s[key]).toFixed(2)}x`;
    console.log(`  ${file.padEnd(width)}  median ${s.median.toFixed(2)} ms (${speedup('median')})  p10 ${s.p10.toFixed(2)} ms (${speedup('p10')})  min ${s.min.toFixed(2)} ms (${speedup('min')})`);
  }
}
process.exit(0); // onnxruntime's worker threads would keep the process alive
