// `prune-experiment --data <dir>`: issue [D]'s channel-pruning check. For FashionCnn and the
// residual variant: train (or load a checkpoint), channel-prune with @efficientdl/prune to at
// most --macs-budget of the MACs (smallest uniform ratio that fits, kept channels a multiple of
// --round-to), recalibrate BatchNorm statistics, fine-tune ≤ 2 epochs (BatchNorm on batch
// statistics, AdamW with a cosine schedule), recalibrate again, and
// print accuracy before/after and backend-cpu latency at batch 64. Both models are written as
// ONNX; onnxruntime latency comes from `efficientdl prune` on the written original (apps do not
// import backends: scripts/check-layers.mjs), whose command line is printed at the end.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Module } from '@efficientdl/nn';
import { exportOnnx } from '@efficientdl/onnx';
import { formatPruneReport, magnitude, prune } from '@efficientdl/prune';
import { loadFashionMnist } from './datasets.js';
import { FashionCnn } from './model.js';
import { accuracy, cpuLatency, finetune, ratioForMacs, recalibrate, traceModel, trainOrLoad } from './prune-steps.js';
import { FashionResidualCnn } from './residual-model.js';

const MODELS: Record<string, (seed: number) => Module> = {
  'fashion-cnn': (seed) => new FashionCnn({ seed }),
  'fashion-residual-cnn': (seed) => new FashionResidualCnn({ seed }),
};

function options() {
  const { values } = parseArgs({
    options: {
      data: { type: 'string' },
      models: { type: 'string', default: Object.keys(MODELS).join(',') },
      epochs: { type: 'string', default: '3' },
      'finetune-epochs': { type: 'string', default: '2' },
      'macs-budget': { type: 'string', default: '0.4' },
      'round-to': { type: 'string', default: '8' },
      ratio: { type: 'string' },
      'checkpoint-dir': { type: 'string' },
      'out-dir': { type: 'string', default: 'prune-experiment' },
      limit: { type: 'string' },
      seed: { type: 'string', default: '0' },
    },
  });
  if (!values.data) {
    throw new Error('usage: prune-experiment --data <Fashion-MNIST folder> [--models fashion-cnn,fashion-residual-cnn] [--epochs 3] [--finetune-epochs 2] [--macs-budget 0.4 | --ratio R] [--round-to 8] [--checkpoint-dir DIR] [--out-dir DIR] [--limit N]');
  }
  return { ...values, data: values.data, models: (values.models ?? '').split(',').filter(Boolean) };
}

const points = (before: number, after: number) => `${after >= before ? '+' : ''}${((after - before) * 100).toFixed(2)} pt`;

async function main(): Promise<void> {
  const args = options();
  const seed = Number(args.seed);
  const { train, test } = await loadFashionMnist(args.data, { limit: args.limit === undefined ? undefined : Number(args.limit) });
  mkdirSync(args['out-dir'], { recursive: true });
  if (args['checkpoint-dir']) mkdirSync(args['checkpoint-dir'], { recursive: true });
  const log = (line: string) => console.log(line);
  const summaries: string[] = [];
  for (const name of args.models) {
    const make = MODELS[name];
    if (!make) throw new Error(`unknown model '${name}' (${Object.keys(MODELS).join(', ')})`);
    const module = make(seed);
    const checkpoint = args['checkpoint-dir'] ? join(args['checkpoint-dir'], `${name}.safetensors`) : undefined;
    log(`${name}: ${await trainOrLoad(module, checkpoint, { train, epochs: Number(args.epochs), lr: 2e-3, seed, log })}`);
    const original = traceModel(module, name.replace(/-/g, '_'));
    const config = { importance: magnitude({ p: 2 }), roundTo: Number(args['round-to']) };
    const ratio = args.ratio !== undefined ? Number(args.ratio) : ratioForMacs(original, Number(args['macs-budget']), config);
    const { model: justPrunedModel, report } = prune(original, { ...config, ratio });
    log(formatPruneReport(report));
    const before = accuracy(original, test);
    const justPruned = accuracy(justPrunedModel, test);
    recalibrate(justPrunedModel, train);
    log(`  accuracy before pruning ${before.toFixed(4)}, right after pruning ${justPruned.toFixed(4)}, after BN recalibration ${accuracy(justPrunedModel, test).toFixed(4)}`);
    const pruned = await finetune(justPrunedModel, { train, epochs: Number(args['finetune-epochs']), lr: 1e-3, seed: seed + 1, log });
    const after = accuracy(pruned, test);
    const [latencyBefore, latencyAfter] = cpuLatency([original, pruned], { batch: 64, runs: 40 }) as [{ median: number; min: number }, { median: number; min: number }];
    const originalFile = join(args['out-dir'], `${name}.onnx`);
    writeFileSync(originalFile, exportOnnx(original.toGraph(), { opset: 17 }));
    writeFileSync(join(args['out-dir'], `${name}-pruned.onnx`), exportOnnx(pruned.toGraph(), { opset: 17 }));
    const macs = `${report.macs.before.toLocaleString('en-US')} -> ${report.macs.after.toLocaleString('en-US')} (${((100 * report.macs.after) / report.macs.before).toFixed(1)}%)`;
    const summary = `${name}: ratio ${ratio}, MACs ${macs}, accuracy ${before.toFixed(4)} -> ${after.toFixed(4)} (${points(before, after)}), backend-cpu batch 64 median ${latencyBefore.median.toFixed(2)} -> ${latencyAfter.median.toFixed(2)} ms (${(latencyBefore.median / latencyAfter.median).toFixed(2)}x), min ${latencyBefore.min.toFixed(2)} -> ${latencyAfter.min.toFixed(2)} ms (${(latencyBefore.min / latencyAfter.min).toFixed(2)}x)`;
    log(summary);
    summaries.push(summary);
    summaries.push(`  onnxruntime: efficientdl prune ${originalFile} -o ${join(args['out-dir'], `${name}-cli-pruned.onnx`)} --ratio ${ratio} --round-to ${args['round-to']} --finetune-images ${args.data}/train-images-idx3-ubyte.gz --finetune-labels ${args.data}/train-labels-idx1-ubyte.gz --epochs ${args['finetune-epochs']} --test-images ${args.data}/t10k-images-idx3-ubyte.gz --test-labels ${args.data}/t10k-labels-idx1-ubyte.gz`);
  }
  log('');
  for (const line of summaries) log(line);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
  process.exitCode = 1;
});
