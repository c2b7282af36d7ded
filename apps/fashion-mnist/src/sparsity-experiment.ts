// `sparsity-experiment --data <dir>`: issue [D]'s sparsity check. Trains FashionCnn (3 epochs, or
// loads --checkpoint), then
//   (a) 80 % global magnitude element sparsity + 1 epoch fine-tune with the masks re-applied,
//       executed with CSR SparseConv / SparseGemm;
//   (b) 2:4 on every Conv / Gemm + 1 epoch fine-tune, executed with the N:M kernels;
// and prints test accuracy before / after, the sparse graph's own accuracy (same predictions),
// and per pruned layer the median time of the dense fp32 kernel vs the sparse one on real
// activations (alternating runs in this process). The LAST two lines are the verdicts against
// the acceptance limits (≤ 0.5 / ≤ 1.0 pt loss; ≥ 1.5× / > 1× speed-up on the pruned layers).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { GraphModule, DataLoader, type Module } from '@efficientdl/nn';
import { exportOnnx } from '@efficientdl/onnx';
import { type SparsityConfig, formatSparsityReport, magnitude, pruneSparse } from '@efficientdl/prune';
import type { Tensor } from '@efficientdl/tensor';
import { loadFashionMnist } from './datasets.js';
import { type LayerTiming, copyModel, denseModel, finetuneWithMasks, inferenceGraph, sparseGraph, testAccuracy, timePrunedLayers } from './sparsity-steps.js';

interface Experiment {
  readonly label: string;
  readonly config: SparsityConfig;
  readonly format: 'csr' | 'nm';
  /** Acceptance: accuracy loss in points and the minimum speed-up on the pruned layers. */
  readonly maxLoss: number;
  readonly minSpeedup: number;
}

function options() {
  const { values } = parseArgs({
    options: {
      data: { type: 'string' },
      epochs: { type: 'string', default: '3' },
      'finetune-epochs': { type: 'string', default: '1' },
      'finetune-lr': { type: 'string', default: '3e-3' },
      'min-sparsity': { type: 'string', default: '0.5' },
      checkpoint: { type: 'string' },
      ratio: { type: 'string', default: '0.8' },
      batch: { type: 'string', default: '64' },
      runs: { type: 'string', default: '41' },
      limit: { type: 'string' },
      seed: { type: 'string', default: '0' },
      'out-dir': { type: 'string' },
    },
  });
  if (!values.data) {
    throw new Error('usage: sparsity-experiment --data <Fashion-MNIST folder> [--epochs 3] [--finetune-epochs 1] [--finetune-lr 3e-3] [--min-sparsity 0.5] [--checkpoint FILE.safetensors] [--ratio 0.8] [--batch 64] [--runs 41] [--limit N] [--out-dir DIR]');
  }
  return { ...values, data: values.data };
}

const points = (before: number, after: number) => `${after >= before ? '+' : ''}${((after - before) * 100).toFixed(2)} pt`;

async function main(): Promise<void> {
  const args = options();
  const seed = Number(args.seed);
  const log = (line: string) => console.log(line);
  const data = await loadFashionMnist(args.data, { limit: args.limit === undefined ? undefined : Number(args.limit) });
  const dense = await denseModel(data, { epochs: Number(args.epochs), seed, checkpoint: args.checkpoint, log });
  const denseAccuracy = testAccuracy(dense, data.test);
  log(`dense FashionCnn: test accuracy ${denseAccuracy.toFixed(4)}`);
  const [pixels] = [...new DataLoader(data.test.slice(0, Number(args.batch)), { batchSize: Number(args.batch) })][0] as [Tensor, Tensor];
  const ratio = Number(args.ratio);
  const experiments: Experiment[] = [
    { label: `(a) ${ratio * 100}% global magnitude element sparsity, CSR`, config: { granularity: 'element', ratio, scope: 'global', importance: magnitude({ p: 1 }) }, format: 'csr', maxLoss: 0.5, minSpeedup: 1.5 },
    { label: '(b) 2:4 on all Conv/Gemm, N:M', config: { granularity: '2:4', importance: magnitude({ p: 1 }) }, format: 'nm', maxLoss: 1.0, minSpeedup: 1.0 },
  ];
  const verdicts: string[] = [];
  for (const experiment of experiments) {
    log(`\n${experiment.label}`);
    const model = copyModel(dense);
    const masks = pruneSparse(model, experiment.config);
    log(formatSparsityReport(masks.report));
    const justPruned = testAccuracy(model, data.test);
    await finetuneWithMasks(model, masks, { train: data.train, epochs: Number(args['finetune-epochs']), lr: Number(args['finetune-lr']), seed: seed + 1, log });
    const after = testAccuracy(model, data.test);
    const kept = masks.measure(model);
    log(`  accuracy: dense ${denseAccuracy.toFixed(4)}, right after pruning ${justPruned.toFixed(4)}, after fine-tune ${after.toFixed(4)} (${points(denseAccuracy, after)}); sparsity after fine-tune ${(kept.sparsity * 100).toFixed(1)}%`);
    const denseGraph = inferenceGraph(model);
    const sparse = sparseGraph(denseGraph, { format: experiment.format, minSparsity: Number(args['min-sparsity']) });
    const sparseAccuracy = testAccuracy(GraphModule.fromGraph(sparse) as unknown as Module, data.test);
    log(`  sparse graph (${sparse.nodes.filter((node) => node.domain === 'ai.efficientdl').map((node) => node.op).join(', ')}): test accuracy ${sparseAccuracy.toFixed(4)}`);
    const timings = timePrunedLayers(denseGraph, sparse, pixels, Number(args.runs));
    for (const timing of timings) {
      const ratio = (timing.denseMs / timing.sparseMs).toFixed(2);
      const cpuRatio = (timing.denseCpuMs / timing.sparseCpuMs).toFixed(2);
      log(`  ${timing.node} batch ${args.batch}: ${timing.op} fp32 ${timing.denseMs.toFixed(3)} ms, ${timing.sparseOp} ${timing.sparseMs.toFixed(3)} ms (${ratio}x); CPU time ${timing.denseCpuMs.toFixed(3)} vs ${timing.sparseCpuMs.toFixed(3)} ms (${cpuRatio}x)`);
    }
    const total = (list: readonly LayerTiming[], pick: (timing: LayerTiming) => number) => list.reduce((sum, timing) => sum + pick(timing), 0);
    const ratioOf = (list: readonly LayerTiming[], cpu: boolean) =>
      total(list, (timing) => (cpu ? timing.denseCpuMs : timing.denseMs)) / total(list, (timing) => (cpu ? timing.sparseCpuMs : timing.sparseMs));
    const rewritten = timings.filter((timing) => timing.sparseOp !== timing.op);
    const speedup = ratioOf(timings, false);
    const kernelSpeedup = ratioOf(rewritten, false);
    log(`  all pruned layers: dense ${total(timings, (timing) => timing.denseMs).toFixed(3)} ms, sparse execution ${total(timings, (timing) => timing.sparseMs).toFixed(3)} ms (${speedup.toFixed(2)}x wall, ${ratioOf(timings, true).toFixed(2)}x CPU time); layers run by sparse kernels: ${kernelSpeedup.toFixed(2)}x wall, ${ratioOf(rewritten, true).toFixed(2)}x CPU time`);
    if (args['out-dir']) {
      mkdirSync(args['out-dir'], { recursive: true });
      const file = join(args['out-dir'], `fashion-cnn-${experiment.format}.onnx`);
      writeFileSync(file, exportOnnx(sparse, { opset: 21 }));
      writeFileSync(join(args['out-dir'], `fashion-cnn-${experiment.format}-dense.onnx`), exportOnnx(denseGraph, { opset: 17 }));
      log(`  wrote ${file} (ai.efficientdl ops) and the dense twin for onnxruntime`);
    }
    const loss = (denseAccuracy - after) * 100;
    const pass = loss <= experiment.maxLoss && speedup >= experiment.minSpeedup && (experiment.minSpeedup > 1 || speedup > 1);
    verdicts.push(`${experiment.label}: accuracy ${denseAccuracy.toFixed(4)} -> ${after.toFixed(4)} (${points(denseAccuracy, after)}, limit -${experiment.maxLoss} pt), all pruned layers ${speedup.toFixed(2)}x vs dense fp32 (limit ${experiment.minSpeedup === 1 ? '> 1' : `>= ${experiment.minSpeedup}`}x; sparse-kernel layers ${kernelSpeedup.toFixed(2)}x): ${pass ? 'PASS' : 'FAIL'}`);
  }
  log('');
  for (const verdict of verdicts) log(verdict);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
  process.exitCode = 1;
});
