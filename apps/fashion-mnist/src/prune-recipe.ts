// The channel-pruning recipe of prune-experiment.ts: explicit per-layer channel targets (chosen so
// that the kept counts suit the runtimes: onnxruntime's AVX-512 NCHWc convolutions work on blocks of
// 16 channels), an importance criterion, then either one-shot pruning or gradual pruning spread
// over the first fine-tuning epoch (cubic AGP schedule of Zhu & Gupta 2017 on the channel counts,
// a short fine-tune after each step), and fine-tuning with knowledge distillation from the unpruned
// model (Hinton et al. 2015) — the usual "prune + KD" recipe. BatchNorm statistics are recalibrated
// after every pruning step and after fine-tuning (adaptive BN).
import { AdamW, CosineAnnealingLR, DataLoader, type GraphModule, type Module, type TensorDataset, crossEntropy, fit } from '@efficientdl/nn';
import { Distiller } from '@efficientdl/distill';
import { type Importance, type PruneReport, agpSchedule, bnScale, magnitude, prune, taylor, trainableParameters, withBatchNormMode } from '@efficientdl/prune';
import type { Tensor } from '@efficientdl/tensor';
import { recalibrate } from './prune-steps.js';

/** Kept output channels per layer (layer names as in the prune report, e.g. `features.0`). */
export type ChannelTargets = Readonly<Record<string, number>>;

export const IMPORTANCE_NAMES = ['l1', 'l2', 'taylor', 'bn'] as const;
export type ImportanceName = (typeof IMPORTANCE_NAMES)[number];

export interface Distillation {
  teacher: GraphModule;
  /** KD temperature τ and hard-label weight α (distillationLoss). */
  temperature: number;
  alpha: number;
}

export interface RecipeOptions {
  targets: ChannelTargets;
  importance: ImportanceName;
  /** Total fine-tuning epochs, pruning phase included. */
  epochs: number;
  /** Pruning steps: 1 = one shot before fine-tuning; n > 1 = AGP over the first epoch, n equal slices of it. */
  steps: number;
  /** Peak AdamW learning rate (constant while pruning gradually, then cosine-annealed to 5 %). */
  lr: number;
  /** Fine-tune with KD from this teacher instead of cross-entropy alone. */
  distillation?: Distillation;
  train: TensorDataset;
  seed: number;
  log: (line: string) => void;
}

/** `features.0=8,features.4=16` → { 'features.0': 8, 'features.4': 16 }. */
export function parseChannels(text: string): Record<string, number> {
  return Object.fromEntries(
    text.split(',').map((entry) => {
      const [layer, count] = entry.split('=');
      if (!layer || count === undefined || !Number.isInteger(Number(count))) throw new Error(`--channels: expected layer=N, got '${entry}'`);
      return [layer, Number(count)];
    }),
  );
}

/** Channels before pruning of every prunable layer of `model`. */
export function layerChannels(model: GraphModule): Map<string, number> {
  const { report } = prune(model, { ratio: 0 });
  return new Map(report.layers.map((layer) => [layer.name, layer.channelsBefore]));
}

/** perLayerRatios that keep exactly `targets[layer]` channels of each listed layer of `model`. */
export function ratiosForTargets(model: GraphModule, targets: ChannelTargets): Record<string, number> {
  const channels = layerChannels(model);
  const ratios: Record<string, number> = {};
  for (const [layer, target] of Object.entries(targets)) {
    const current = channels.get(layer);
    if (current === undefined) throw new Error(`no prunable layer '${layer}' (layers: ${[...channels.keys()].join(', ')})`);
    if (!Number.isInteger(target) || target < 1 || target > current) throw new Error(`layer '${layer}' has ${current} channels; cannot keep ${target}`);
    // the library removes round(current·ratio) channels: exactly current − target here
    if (target < current) ratios[layer] = 1 - target / current;
  }
  return ratios;
}

/** Channel targets after AGP step `step` of `steps`: c_t = c_final + (c_0 − c_final)·(1 − t/n)³, rounded. */
export function agpTargets(initial: ReadonlyMap<string, number>, targets: ChannelTargets, step: number, steps: number): Record<string, number> {
  const fraction = agpSchedule({ finalRatio: 0.5, steps })[step - 1] as number;
  const progress = fraction / 0.5; // the schedule's share of the final pruning reached after `step`
  return Object.fromEntries(
    Object.entries(targets).map(([layer, target]) => {
      const start = initial.get(layer) ?? target;
      return [layer, Math.max(target, Math.round(start - (start - target) * progress))];
    }),
  );
}

/** The named criterion; Taylor scores come from 4 training batches of 64 (a different slice per `offset`). */
export function importanceFor(name: ImportanceName, train: TensorDataset, offset = 0): Importance {
  switch (name) {
    case 'l1':
      return magnitude({ p: 1 });
    case 'l2':
      return magnitude({ p: 2 });
    case 'bn':
      return bnScale();
    case 'taylor': {
      const start = (offset * 256) % Math.max(1, train.length - 256);
      const loader = new DataLoader(train.slice(start, Math.min(train.length, start + 256)), { batchSize: 64 });
      return taylor({ batches: [...loader].map(([inputs, targets]) => ({ inputs: [inputs as Tensor], targets: targets as Tensor })) });
    }
  }
}

interface PhaseOptions {
  data: TensorDataset;
  epochs: number;
  lr: number;
  /** Cosine-anneal to 5 % of lr over the phase (else constant). */
  anneal: boolean;
  seed: number;
  label: string;
}

/** Trains a copy of `model` with BatchNorm on batch statistics (KD loss when configured); returns the eval-mode copy, BN recalibrated. */
async function trainPhase(model: GraphModule, recipe: RecipeOptions, phase: PhaseOptions): Promise<GraphModule> {
  const training = withBatchNormMode(model, 'train');
  const optimizer = new AdamW(trainableParameters(training), { lr: phase.lr, weightDecay: 1e-4 });
  const trainLoader = new DataLoader(phase.data, { batchSize: 64, shuffle: true, seed: phase.seed });
  const scheduler = phase.anneal ? new CosineAnnealingLR(optimizer, { tMax: Math.max(1, trainLoader.length * phase.epochs), etaMin: phase.lr * 0.05, interval: 'step' }) : undefined;
  const kd = recipe.distillation;
  const distiller = kd ? new Distiller({ teacher: kd.teacher as unknown as Module, student: training as unknown as Module, temperature: kd.temperature, alpha: kd.alpha }) : undefined;
  await fit({
    model: distiller ?? (training as unknown as Module),
    optimizer,
    ...(scheduler ? { scheduler } : {}),
    loss: distiller ? distiller.fitLoss() : (logits, targets) => crossEntropy(logits, targets),
    trainLoader,
    epochs: phase.epochs,
    progress: 'none',
    epochSummary: false,
    onEpochEnd: (record) => recipe.log(`  ${phase.label} epoch ${record.epoch}/${phase.epochs}: loss ${record.loss.toFixed(4)}, ${record.seconds.toFixed(1)} s`),
  });
  const tuned = withBatchNormMode(training, 'eval');
  recalibrate(tuned, recipe.train);
  return tuned;
}

export interface RecipeResult {
  model: GraphModule;
  /** The report of pruning the original model straight to the targets (channels, params, MACs). */
  report: PruneReport;
}

/**
 * Prunes `original` to the channel targets and fine-tunes it for `epochs` epochs in all: one shot
 * (steps = 1: prune, recalibrate BN, fine-tune with a cosine schedule) or gradually (steps = n:
 * the first epoch is cut into n slices; before each, prune to the AGP targets of that step, then
 * train on the slice at a constant lr; the remaining epochs fine-tune the final model with cosine).
 */
export async function pruneAndFinetune(original: GraphModule, recipe: RecipeOptions): Promise<RecipeResult> {
  const { report } = prune(original, { importance: magnitude(), ratio: 0, perLayerRatios: ratiosForTargets(original, recipe.targets) });
  const initial = layerChannels(original);
  const gradual = recipe.steps > 1;
  if (gradual && recipe.epochs < 1) throw new Error('gradual pruning needs at least one fine-tuning epoch');
  let model = original;
  const steps = gradual ? recipe.steps : 1;
  for (let step = 1; step <= steps; step++) {
    const targets = gradual ? agpTargets(initial, recipe.targets, step, steps) : recipe.targets;
    model = prune(model, { importance: importanceFor(recipe.importance, recipe.train, step), ratio: 0, perLayerRatios: ratiosForTargets(model, targets) }).model;
    recalibrate(model, recipe.train);
    recipe.log(`  step ${step}/${steps}: channels ${Object.values(targets).join('/')}`);
    if (!gradual) break;
    const size = Math.floor(recipe.train.length / steps);
    const data = recipe.train.slice((step - 1) * size, step * size);
    model = await trainPhase(model, recipe, { data, epochs: 1, lr: recipe.lr, anneal: false, seed: recipe.seed + step, label: `prune step ${step}` });
  }
  const remaining = gradual ? recipe.epochs - 1 : recipe.epochs;
  if (remaining > 0) model = await trainPhase(model, recipe, { data: recipe.train, epochs: remaining, lr: recipe.lr, anneal: true, seed: recipe.seed, label: 'fine-tune' });
  return { model, report };
}
