// The steps of sparsity-experiment.ts: train (or load) FashionCnn, fine-tune with sparsity masks
// kept by the optimizer, turn a pruned model into dense and sparse inference graphs (trace in eval
// mode → fold BatchNorm → toSparseExecution), and time every pruned layer dense (Conv / Gemm fp32)
// against its sparse kernel (SparseConv / SparseGemm) on the engine's default backend, on the
// real activations of test images, alternating the two, median of runs.
import { existsSync } from 'node:fs';
import { type Graph, type Node, foldBatchNorm, withGraph } from '@efficientdl/ir';
import { AdamW, CosineAnnealingLR, DataLoader, type TensorDataset, crossEntropy, evaluate, fit, type Module } from '@efficientdl/nn';
import { Distiller } from '@efficientdl/distill';
import { type GradualSparsity, type SparseExecutionOptions, type SparsityConfig, type SparsityMasks, attachGradualSparsity, pruneSparse, toSparseExecution } from '@efficientdl/prune';
import { Tensor, noGrad, readSafetensors, runGraph, runOp, trace, writeSafetensors, zeros } from '@efficientdl/tensor';
import { FashionCnn } from './model.js';
import { runPipeline } from './pipeline.js';

export interface TrainingData {
  train: TensorDataset;
  test: TensorDataset;
}

/** The dense FashionCnn: loaded from `checkpoint` when it exists, else trained (and saved there). */
export async function denseModel(data: TrainingData, options: { epochs: number; seed: number; checkpoint?: string; log: (line: string) => void }): Promise<FashionCnn> {
  const { checkpoint, log } = options;
  if (checkpoint && existsSync(checkpoint)) {
    const model = new FashionCnn({ seed: options.seed });
    model.loadStateDict((await readSafetensors(checkpoint)).tensors);
    log(`loaded ${checkpoint}`);
    return model;
  }
  const { model } = await runPipeline({ ...data, epochs: options.epochs, batchSize: 64, lr: 2e-3, seed: options.seed, progress: 'none', log });
  if (checkpoint) await writeSafetensors(checkpoint, model.stateDict());
  return model;
}

/** A fresh FashionCnn holding a copy of `source`'s parameters and buffers. */
export function copyModel(source: FashionCnn): FashionCnn {
  const model = new FashionCnn();
  model.loadStateDict(source.stateDict());
  return model;
}

export function testAccuracy(model: Module, test: TensorDataset): number {
  return evaluate(model, new DataLoader(test, { batchSize: 500 }));
}

export interface SparseFinetuneOptions {
  train: TensorDataset;
  epochs: number;
  lr: number;
  seed: number;
  log: (line: string) => void;
  /** Fine-tuning batch size (default 64). */
  batchSize?: number;
  /** Fine-tune with the KD loss against this frozen model (e.g. the dense one) instead of cross-entropy alone. */
  distillation?: { teacher: Module; temperature: number; alpha: number };
}

/** AdamW (cosine per step to 5 % of lr) on `model`; `prepare` wraps optimizer.step (masks) and returns the undo function. */
async function trainSparse(model: FashionCnn, options: SparseFinetuneOptions, prepare: (optimizer: AdamW, steps: number) => () => void): Promise<void> {
  const optimizer = new AdamW(model.parameters(), { lr: options.lr, weightDecay: 1e-4 });
  const trainLoader = new DataLoader(options.train, { batchSize: options.batchSize ?? 64, shuffle: true, seed: options.seed });
  const steps = trainLoader.length * options.epochs;
  const scheduler = new CosineAnnealingLR(optimizer, { tMax: Math.max(1, steps), etaMin: options.lr * 0.05, interval: 'step' });
  const kd = options.distillation;
  const distiller = kd ? new Distiller({ teacher: kd.teacher, student: model, temperature: kd.temperature, alpha: kd.alpha }) : undefined;
  const detach = prepare(optimizer, steps);
  try {
    await fit({
      model: distiller ?? model,
      optimizer,
      scheduler,
      loss: distiller ? distiller.fitLoss() : (logits, targets) => crossEntropy(logits, targets),
      trainLoader,
      epochs: options.epochs,
      progress: 'none',
      epochSummary: false,
      onEpochEnd: (record) => options.log(`  fine-tune epoch ${record.epoch}/${options.epochs}: loss ${record.loss.toFixed(4)}, ${record.seconds.toFixed(1)} s`),
    });
  } finally {
    detach();
  }
}

/** Fine-tunes with AdamW (cosine per step) while `masks` keep the pruned weights at zero. */
export async function finetuneWithMasks(model: FashionCnn, masks: SparsityMasks, options: SparseFinetuneOptions): Promise<void> {
  await trainSparse(model, options, (optimizer) => masks.attach(optimizer, model));
}

/**
 * Gradual magnitude pruning during the fine-tune (Zhu & Gupta 2017): the sparsity of `config`
 * ramps from 0 on the cubic schedule over the first `rampFraction` of the optimizer steps,
 * re-pruning every `frequency` steps (default: 1/10 of the ramp); the masks stay applied around
 * every step after that (fixed-mask fine-tuning). Returns the final masks.
 */
export async function finetuneGradually(model: FashionCnn, config: SparsityConfig, options: SparseFinetuneOptions & { rampFraction: number; frequency?: number }): Promise<SparsityMasks> {
  let gradual: GradualSparsity | undefined;
  await trainSparse(model, options, (optimizer, steps) => {
    const endStep = Math.max(1, Math.round(steps * options.rampFraction));
    gradual = attachGradualSparsity(model, optimizer, { config, endStep, ...(options.frequency ? { frequency: options.frequency } : {}) });
    return () => gradual?.detach();
  });
  const masks = gradual?.masks;
  if (!masks) throw new Error('finetuneGradually: no optimizer step pruned the model (empty training set?)');
  return masks;
}

/**
 * pruneSparse with every Conv weight that feeds a BatchNorm scored as the inference graph holds it,
 * BatchNorm folded in (w·γ/√(σ² + ε), per output channel): a global magnitude threshold then
 * compares the weights that will be deployed, whose scales BatchNorm no longer hides. The masks
 * apply to the unfolded weights (same positions); the model keeps its BatchNorms.
 */
export function pruneSparseFolded(model: FashionCnn, config: SparsityConfig): SparsityMasks {
  const tensors = new Map(model.namedTensors());
  const originals = new Map<Float32Array, Float32Array>();
  for (const [name, tensor] of tensors) {
    const match = /^(.*)\.(\d+)\.weight$/.exec(name);
    const variance = match && tensors.get(`${match[1]}.${Number(match[2]) + 1}.running_var`);
    const gamma = match && tensors.get(`${match[1]}.${Number(match[2]) + 1}.weight`);
    if (!variance || !gamma || tensor.shape.length !== 4) continue;
    const weights = tensor.data.data as Float32Array; // (out, in, kH, kW)
    originals.set(weights, Float32Array.from(weights));
    const perChannel = weights.length / (tensor.shape[0] as number);
    const [scales, variances] = [gamma.data.data as Float32Array, variance.data.data as Float32Array];
    for (let index = 0; index < weights.length; index++) {
      const channel = Math.floor(index / perChannel);
      weights[index] = (weights[index] as number) * Math.abs((scales[channel] as number) / Math.sqrt((variances[channel] as number) + 1e-5));
    }
  }
  const masks = pruneSparse(model, config);
  for (const [weights, original] of originals) weights.set(original);
  masks.reapply(model);
  return masks;
}

/** The eval-mode inference graph with BatchNorm folded into the convolutions: pixels → logits. */
export function inferenceGraph(model: FashionCnn): Graph {
  model.eval();
  const graph = trace(model, [zeros([1, 1, 28, 28])], { name: 'fashion_cnn', inputNames: ['pixels'], outputNames: ['logits'], dynamicBatch: true });
  return foldBatchNorm(graph);
}

export function sparseGraph(dense: Graph, options: SparseExecutionOptions): Graph {
  return toSparseExecution(dense, options);
}

/** Values of `names` in the dense graph for these pixels (the pruned layers' inputs). */
function activations(dense: Graph, pixels: Tensor, names: readonly string[]): Map<string, Tensor> {
  const probe = withGraph(dense, { outputs: names.map((name) => ({ name, dtype: 'float32' as const, shape: [] })) });
  return new Map(Object.entries(noGrad(() => runGraph(probe, { pixels }))));
}

export interface LayerTiming {
  readonly node: string;
  /** The dense op and what the sparse graph runs instead (the same op when the layer stayed dense). */
  readonly op: string;
  readonly sparseOp: string;
  /** Median wall-clock ms. */
  readonly denseMs: number;
  readonly sparseMs: number;
  /** Median process.cpuUsage() ms: robust to descheduling on a busy machine; meaningful with one kernel thread (EFFICIENTDL_THREADS=1). */
  readonly denseCpuMs: number;
  readonly sparseCpuMs: number;
}

function runNode(node: Node, input: Tensor, weights: Map<string, Tensor>): Tensor {
  const inputs = node.inputs.map((name, index) => (index === 0 ? input : name === '' ? undefined : (weights.get(name) as Tensor)));
  return runOp(node.op, inputs, node.attrs, { domain: node.domain, name: node.name })[0] as Tensor;
}

function cpuMs(): number {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** Whether a dense node is a Conv / Gemm whose weight initializer holds zeros (a pruned layer). */
function isPruned(graph: Graph, node: Node): boolean {
  const weight = graph.initializers.get(node.inputs[1] ?? '');
  return (node.op === 'Conv' || node.op === 'Gemm') && weight !== undefined && weight.data.some((value) => value === 0);
}

/**
 * Median ms per pruned layer (every Conv / Gemm with zeros in its weight), the dense node vs what
 * the sparse graph runs for it (its SparseConv / SparseGemm, or the same dense node when the pass
 * left it dense), on the activations of `pixels`; runs alternate (dense, sparse, dense, …) after
 * two warm-ups each, so both see the same machine load.
 */
export function timePrunedLayers(dense: Graph, sparse: Graph, pixels: Tensor, runs: number): LayerTiming[] {
  const pairs = dense.nodes.filter((node) => isPruned(dense, node)).map((node) => ({ dense: node, sparse: sparse.nodes.find((other) => other.name === node.name) as Node }));
  const inputs = activations(dense, pixels, pairs.map((pair) => pair.dense.inputs[0] as string));
  const weightsOf = (graph: Graph) => new Map([...graph.initializers].map(([name, data]) => [name, new Tensor(data)]));
  const [denseWeights, sparseWeights] = [weightsOf(dense), weightsOf(sparse)];
  return noGrad(() =>
    pairs.map((pair) => {
      const input = inputs.get(pair.dense.inputs[0] as string) as Tensor;
      const runDense = () => runNode(pair.dense, input, denseWeights);
      const runSparse = () => runNode(pair.sparse, input, sparseWeights);
      for (let warm = 0; warm < 2; warm++) {
        runDense();
        runSparse();
      }
      const wall = { dense: [] as number[], sparse: [] as number[] };
      const cpu = { dense: [] as number[], sparse: [] as number[] };
      for (let run = 0; run < runs; run++) {
        for (const [kind, execute] of [['dense', runDense], ['sparse', runSparse]] as const) {
          const [started, cpuStarted] = [performance.now(), cpuMs()];
          execute();
          wall[kind].push(performance.now() - started);
          cpu[kind].push(cpuMs() - cpuStarted);
        }
      }
      return {
        node: pair.dense.name, op: pair.dense.op, sparseOp: pair.sparse.op,
        denseMs: median(wall.dense), sparseMs: median(wall.sparse), denseCpuMs: median(cpu.dense), sparseCpuMs: median(cpu.sparse),
      };
    }),
  );
}
