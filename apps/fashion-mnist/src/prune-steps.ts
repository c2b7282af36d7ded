// The steps of prune-experiment.ts: train (or load) a model, trace it to a GraphModule, choose
// the uniform channel ratio that meets a MACs budget, fine-tune a pruned GraphModule, and time
// one batch on the engine's default backend (backend-cpu; apps do not import backends).
import { existsSync } from 'node:fs';
import { AdamW, CosineAnnealingLR, DataLoader, GraphModule, type Module, type TensorDataset, crossEntropy, evaluate, fit } from '@efficientdl/nn';
import { type PruneConfig, prune, recalibrateBatchNorm, trainableParameters, withBatchNormMode } from '@efficientdl/prune';
import { Generator, Tensor, noGrad, readSafetensors, trace, writeSafetensors, zeros } from '@efficientdl/tensor';
import { fromNumbers } from '@efficientdl/ir';

export interface TrainOptions {
  train: TensorDataset;
  epochs: number;
  lr: number;
  seed: number;
  log: (line: string) => void;
}

/** AdamW with a per-step cosine schedule (as pipeline.ts), cross-entropy, batch 64. */
export async function trainModule(model: Module, parameters: Iterable<Tensor>, options: TrainOptions): Promise<void> {
  const optimizer = new AdamW(parameters, { lr: options.lr, weightDecay: 1e-4 });
  const trainLoader = new DataLoader(options.train, { batchSize: 64, shuffle: true, seed: options.seed });
  const scheduler = new CosineAnnealingLR(optimizer, { tMax: Math.max(1, trainLoader.length * options.epochs), etaMin: options.lr * 0.05, interval: 'step' });
  await fit({
    model,
    optimizer,
    scheduler,
    loss: (logits, targets) => crossEntropy(logits, targets),
    trainLoader,
    epochs: options.epochs,
    epochSummary: false,
    onEpochEnd: (record) => options.log(`  epoch ${record.epoch}/${options.epochs}: loss ${record.loss.toFixed(4)}, ${record.seconds.toFixed(1)} s`),
  });
}

/** Loads `path` into the model when it exists, else trains and saves it there. */
export async function trainOrLoad(model: Module, path: string | undefined, options: TrainOptions): Promise<'loaded' | 'trained'> {
  if (path && existsSync(path)) {
    model.loadStateDict((await readSafetensors(path)).tensors);
    return 'loaded';
  }
  await trainModule(model, model.parameters(), options);
  if (path) await writeSafetensors(path, model.stateDict());
  return 'trained';
}

/** Traces the model in eval mode: pixels (N, 1, 28, 28) → logits (N, 10). */
export function traceModel(model: Module, name: string): GraphModule {
  model.eval();
  const graph = trace(model, [zeros([1, 1, 28, 28])], { name, inputNames: ['pixels'], outputNames: ['logits'], dynamicBatch: true });
  return GraphModule.fromGraph(graph);
}

export function accuracy(model: GraphModule, test: TensorDataset): number {
  return evaluate(model as unknown as Module, new DataLoader(test, { batchSize: 500 }));
}

/** The smallest ratio on a 0.05 grid whose uniform channel pruning keeps MACs ≤ budget·MACs. */
export function ratioForMacs(model: GraphModule, budget: number, config: Omit<PruneConfig, 'ratio'>): number {
  for (let step = 1; step < 19; step++) {
    const ratio = step * 0.05;
    const { report } = prune(model, { ...config, ratio });
    if (report.macs.after <= budget * report.macs.before) return Number(ratio.toFixed(2));
  }
  throw new Error(`no uniform ratio below 0.95 reaches ${budget * 100}% of the MACs`);
}

/** Adaptive BN: re-estimates BatchNormalization statistics of the pruned model on 20 training batches. */
export function recalibrate(model: GraphModule, train: TensorDataset): number {
  const batches = [...new DataLoader(train.slice(0, Math.min(train.length, 1280)), { batchSize: 64 })].map(([inputs]) => [inputs as Tensor]);
  return recalibrateBatchNorm(model, { batches });
}

/** Fine-tunes with BatchNorm on batch statistics, then returns the eval-mode model with recalibrated statistics. */
export async function finetune(model: GraphModule, options: TrainOptions): Promise<GraphModule> {
  const training = withBatchNormMode(model, 'train');
  await trainModule(training as unknown as Module, trainableParameters(training), options);
  const tuned = withBatchNormMode(training, 'eval');
  recalibrate(tuned, options.train);
  return tuned;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** Median and minimum ms of one forward at `batch` per model, in alternating blocks (5 rounds, one warm-up run per block). */
export function cpuLatency(models: readonly GraphModule[], options: { batch: number; runs: number }): { median: number; min: number }[] {
  const generator = new Generator(0);
  const input = new Tensor(fromNumbers('float32', [options.batch, 1, 28, 28], Array.from({ length: options.batch * 784 }, () => generator.random())));
  const times: number[][] = models.map(() => []);
  noGrad(() => {
    for (let round = 0; round < 5; round++) {
      models.forEach((model, index) => {
        model.forward(input);
        for (let run = 0; run < Math.ceil(options.runs / 5); run++) {
          const started = performance.now();
          model.forward(input);
          times[index]?.push(performance.now() - started);
        }
      });
    }
  });
  return times.map((list) => ({ median: median(list), min: Math.min(...list) }));
}
