// `efficientdl eval <model.onnx> --images <idx[.gz]> --labels <idx[.gz]>`: top-1 classification
// accuracy over an IDX image set (MNIST / Fashion-MNIST layout). The last stdout line is
// `accuracy: 0.XXXX`; a progress bar runs on stderr when it is a terminal.
import { ConfigError, ShapeError, type TensorData, formatShape } from '@efficientdl/ir';
import { maybeGunzip, parseIdx } from '@efficientdl/nn';
import type { Command } from 'commander';
import { type BackendName, createEngine } from '../backends.js';
import { type CommandContext, backendOption, parseNumber, parsePositiveInteger, parsePositiveNumber } from '../cli-options.js';
import { argmaxRows, buildBatch, planBatches } from '../image-batches.js';
import { type CliIo, printLine, printNote, readFileBytes } from '../io.js';
import { loadModel } from '../load-model.js';
import { startProgress } from '../progress.js';

interface EvalOptions {
  images: string;
  labels: string;
  scale: number;
  mean: number;
  std: number;
  limit?: number;
  batchSize: number;
  backend: BackendName;
}

export interface EvalResult {
  correct: number;
  total: number;
  accuracy: number;
}

async function readIdx(path: string, what: string): Promise<TensorData> {
  const bytes = await readFileBytes(path, what);
  return parseIdx(await maybeGunzip(bytes, path), { file: path });
}

async function readImageSet(options: EvalOptions): Promise<{ images: TensorData; labels: TensorData; total: number }> {
  const images = await readIdx(options.images, 'images file');
  const labels = await readIdx(options.labels, 'labels file');
  if (images.shape.length < 2 || labels.shape.length !== 1 || images.shape[0] !== labels.shape[0]) {
    throw new ShapeError(`images ${formatShape(images.shape)} and labels ${formatShape(labels.shape)} must be (N, ...) and (N)`, {
      file: options.images,
    });
  }
  const total = Math.min(labels.shape[0] as number, options.limit ?? Number.POSITIVE_INFINITY);
  if (total === 0) throw new ConfigError(`no images to evaluate in '${options.images}'`, { file: options.images });
  return { images, labels, total };
}

export async function runEval(io: CliIo, file: string, options: EvalOptions, context: CommandContext): Promise<EvalResult> {
  const graph = await loadModel(file);
  const { images, labels, total } = await readImageSet(options);
  const plan = planBatches(graph, images, options.batchSize);
  const output = graph.outputs[0]?.name as string;
  const engine = await createEngine(options.backend, context.engineOptions);
  printNote(io, `backend: ${engine.description}`);
  printNote(io, `${total} images ${formatShape(images.shape.slice(1))} -> input '${plan.input.name}' (${plan.batchSize}, ${plan.sampleShape.join(', ')}), output '${output}'`);
  const runner = await engine.prepare(graph);
  const progress = startProgress(io, { label: 'eval', total });
  let correct = 0;
  try {
    for (let start = 0; start < total; start += plan.batchSize) {
      const count = Math.min(plan.batchSize, total - start);
      const batch = buildBatch({ images, plan, start, end: total, normalization: options });
      const scores = (await runner.run({ [plan.input.name]: batch }))[output];
      if (!scores || scores.shape[0] !== plan.batchSize) {
        throw new ShapeError(`output '${output}' should have batch dim ${plan.batchSize}, got ${scores ? formatShape(scores.shape) : 'nothing'}`);
      }
      argmaxRows(scores, count).forEach((prediction, index) => {
        if (prediction === Number(labels.data[start + index])) correct++;
      });
      progress.increment(count);
    }
  } finally {
    progress.stop();
    runner.dispose();
  }
  const accuracy = correct / total;
  printLine(io, `correct: ${correct} / ${total}`);
  printLine(io, `accuracy: ${accuracy.toFixed(4)}`);
  return { correct, total, accuracy };
}

export function registerEval(program: Command, context: CommandContext): void {
  program
    .command('eval')
    .description('top-1 accuracy of an image classifier on an IDX image/label pair')
    .argument('<model>', 'ONNX model file')
    .requiredOption('--images <file>', 'IDX images, (N, H, W) uint8, optionally .gz')
    .requiredOption('--labels <file>', 'IDX labels, (N) uint8, optionally .gz')
    .option('--scale <number>', 'pixel multiplier before normalization', parseNumber, 1 / 255)
    .option('--mean <number>', 'subtracted after scaling', parseNumber, 0)
    .option('--std <number>', 'divides after subtracting the mean', parsePositiveNumber, 1)
    .option('--limit <count>', 'evaluate only the first <count> images', parsePositiveInteger)
    .option('--batch-size <count>', 'images per call when the batch dim is symbolic', parsePositiveInteger, 64)
    .addOption(backendOption())
    .action(async (file: string, options: EvalOptions) => {
      await runEval(context.io, file, options, context);
      context.exitCode = 0;
    });
}
