// `prune-experiment --data <dir>`: issue [D]'s channel-pruning check. For FashionCnn and the
// residual variant: train (or load a checkpoint), channel-prune with @efficientdl/prune and
// fine-tune ≤ 2 epochs with the recipe of prune-recipe.ts (per-layer channel targets chosen for
// backend-cpu and onnxruntime, knowledge distillation from the unpruned model, BN recalibration),
// then print MACs, accuracy before/after and backend-cpu latency at batch 64. Both models are
// written as ONNX; apps do not import backends (scripts/check-layers.mjs), so onnxruntime latency
// comes from scripts/time-onnx.mjs on the two files, whose command line is printed at the end.
// --ratio / --macs-budget switch to a uniform ratio (kept channels a multiple of --round-to).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { GraphModule, Module } from '@efficientdl/nn';
import { exportOnnx } from '@efficientdl/onnx';
import { formatPruneReport, magnitude, prune } from '@efficientdl/prune';
import { loadFashionMnist } from './datasets.js';
import { FashionCnn } from './model.js';
import { type ChannelTargets, IMPORTANCE_NAMES, type ImportanceName, layerChannels, parseChannels, pruneAndFinetune } from './prune-recipe.js';
import { accuracy, cpuLatency, ratioForMacs, traceModel, trainOrLoad } from './prune-steps.js';
import { FashionResidualCnn } from './residual-model.js';

/** A model and its default recipe (the README's pruning section says how these were chosen). */
interface ModelEntry {
  make: (seed: number) => Module;
  targets: ChannelTargets;
  importance: ImportanceName;
  /** 1 = one shot; n = AGP over the first fine-tuning epoch. */
  steps: number;
  lr: number;
}

const MODELS: Record<string, ModelEntry> = {
  'fashion-cnn': { make: (seed) => new FashionCnn({ seed }), targets: { 'features.0': 6, 'features.4': 16 }, importance: 'l2', steps: 1, lr: 2e-3 },
  'fashion-residual-cnn': {
    make: (seed) => new FashionResidualCnn({ seed }),
    targets: { 'stem.0.0': 8, 'blocks.0.body.0.0': 8, 'blocks.2.shortcut.0': 24, 'blocks.2.body.0.0': 24 },
    importance: 'taylor',
    steps: 8,
    lr: 3e-3,
  },
};

const USAGE =
  'usage: prune-experiment --data <Fashion-MNIST folder> [--models fashion-cnn,fashion-residual-cnn] [--epochs 3] [--finetune-epochs 2] [--channels layer=N,...] [--ratio R | --macs-budget B [--round-to 8]] [--importance l1|l2|taylor|bn] [--steps N] [--lr X] [--no-kd] [--kd-alpha 0.5] [--temperature 4] [--checkpoint-dir DIR] [--out-dir DIR] [--limit N] [--seed 0] [--latency-runs 40]';

function options() {
  const { values } = parseArgs({
    options: {
      data: { type: 'string' },
      models: { type: 'string', default: Object.keys(MODELS).join(',') },
      epochs: { type: 'string', default: '3' },
      'finetune-epochs': { type: 'string', default: '2' },
      channels: { type: 'string' },
      ratio: { type: 'string' },
      'macs-budget': { type: 'string' },
      'round-to': { type: 'string', default: '8' },
      importance: { type: 'string' },
      steps: { type: 'string' },
      lr: { type: 'string' },
      'no-kd': { type: 'boolean', default: false },
      'kd-alpha': { type: 'string', default: '0.5' },
      temperature: { type: 'string', default: '4' },
      'checkpoint-dir': { type: 'string' },
      'out-dir': { type: 'string', default: 'prune-experiment' },
      limit: { type: 'string' },
      seed: { type: 'string', default: '0' },
      'latency-runs': { type: 'string', default: '40' },
    },
  });
  if (!values.data) throw new Error(USAGE);
  if (values.importance !== undefined && !(IMPORTANCE_NAMES as readonly string[]).includes(values.importance)) throw new Error(`--importance must be one of ${IMPORTANCE_NAMES.join(', ')}`);
  const models = (values.models ?? '').split(',').filter(Boolean);
  if (values.channels && models.length !== 1) throw new Error('--channels applies to one model: pass --models <name> too');
  return { ...values, data: values.data, models, importance: values.importance as ImportanceName | undefined };
}

type Args = ReturnType<typeof options>;

/** The channel targets of this run: --channels, else a uniform ratio (--ratio / --macs-budget), else the model's defaults. */
function targetsFor(original: GraphModule, entry: ModelEntry, args: Args): { targets: ChannelTargets; how: string } {
  if (args.channels) return { targets: parseChannels(args.channels), how: 'per-layer targets (--channels)' };
  if (args.ratio === undefined && args['macs-budget'] === undefined) return { targets: entry.targets, how: 'per-layer targets (recipe default)' };
  const config = { importance: magnitude({ p: 2 }), roundTo: Number(args['round-to']) };
  const ratio = args.ratio !== undefined ? Number(args.ratio) : ratioForMacs(original, Number(args['macs-budget']), config);
  const { report } = prune(original, { ...config, ratio });
  const targets = Object.fromEntries(report.layers.filter((layer) => layer.channelsAfter < layer.channelsBefore).map((layer) => [layer.name, layer.channelsAfter]));
  return { targets, how: `uniform ratio ${ratio}, multiples of ${args['round-to']}` };
}

const points = (before: number, after: number) => `${after >= before ? '+' : ''}${((after - before) * 100).toFixed(2)} pt`;

async function runModel(name: string, args: Args, data: Awaited<ReturnType<typeof loadFashionMnist>>, log: (line: string) => void): Promise<string[]> {
  const entry = MODELS[name];
  if (!entry) throw new Error(`unknown model '${name}' (${Object.keys(MODELS).join(', ')})`);
  const seed = Number(args.seed);
  const module = entry.make(seed);
  const checkpoint = args['checkpoint-dir'] ? join(args['checkpoint-dir'], `${name}.safetensors`) : undefined;
  log(`${name}: ${await trainOrLoad(module, checkpoint, { train: data.train, epochs: Number(args.epochs), lr: 2e-3, seed, log })}`);
  const original = traceModel(module, name.replace(/-/g, '_'));
  const { targets, how } = targetsFor(original, entry, args);
  const kd = args['no-kd'] ? undefined : { teacher: original, temperature: Number(args.temperature), alpha: Number(args['kd-alpha']) };
  const steps = args.steps === undefined ? entry.steps : Number(args.steps);
  const importance = args.importance ?? entry.importance;
  const lr = args.lr === undefined ? entry.lr : Number(args.lr);
  log(`${name}: ${how}: ${Object.entries(targets).map(([layer, count]) => `${layer} ${layerChannels(original).get(layer)}->${count}`).join(', ')}; importance ${importance}; ${steps > 1 ? `gradual (AGP, ${steps} steps over the first epoch)` : 'one shot'}; ${kd ? `KD (temperature ${kd.temperature}, alpha ${kd.alpha})` : 'cross-entropy'}; lr ${lr}`);
  const before = accuracy(original, data.test);
  const { model: pruned, report } = await pruneAndFinetune(original, {
    targets, importance, epochs: Number(args['finetune-epochs']), steps, lr, distillation: kd, train: data.train, seed: seed + 1, log,
  });
  log(formatPruneReport(report).split('\n').slice(1).join('\n')); // the per-layer table, without the title line
  const after = accuracy(pruned, data.test);
  const [latencyBefore, latencyAfter] = cpuLatency([original, pruned], { batch: 64, runs: Number(args['latency-runs']) }) as [{ median: number; min: number }, { median: number; min: number }];
  const [originalFile, prunedFile] = [join(args['out-dir'], `${name}.onnx`), join(args['out-dir'], `${name}-pruned.onnx`)];
  writeFileSync(originalFile, exportOnnx(original.toGraph(), { opset: 17 }));
  writeFileSync(prunedFile, exportOnnx(pruned.toGraph(), { opset: 17 }));
  const macs = `${report.macs.before.toLocaleString('en-US')} -> ${report.macs.after.toLocaleString('en-US')} (${((100 * report.macs.after) / report.macs.before).toFixed(1)}%)`;
  const channels = report.layers.map((layer) => layer.channelsAfter).join('/');
  const summary = `${name}: channels ${channels}, MACs ${macs}, accuracy ${before.toFixed(4)} -> ${after.toFixed(4)} (${points(before, after)}), backend-cpu batch 64 median ${latencyBefore.median.toFixed(2)} -> ${latencyAfter.median.toFixed(2)} ms (${(latencyBefore.median / latencyAfter.median).toFixed(2)}x), min ${latencyBefore.min.toFixed(2)} -> ${latencyAfter.min.toFixed(2)} ms (${(latencyBefore.min / latencyAfter.min).toFixed(2)}x)`;
  log(summary);
  return [summary, `  onnxruntime and backend-cpu: node apps/fashion-mnist/scripts/time-onnx.mjs ${originalFile} ${prunedFile}`];
}

async function main(): Promise<void> {
  const args = options();
  const data = await loadFashionMnist(args.data, { limit: args.limit === undefined ? undefined : Number(args.limit) });
  mkdirSync(args['out-dir'], { recursive: true });
  if (args['checkpoint-dir']) mkdirSync(args['checkpoint-dir'], { recursive: true });
  const log = (line: string) => console.log(line);
  const summaries: string[] = [];
  for (const name of args.models) summaries.push(...(await runModel(name, args, data, log)));
  log('');
  for (const line of summaries) log(line);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
  process.exitCode = 1;
});
