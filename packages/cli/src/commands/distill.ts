// `efficientdl distill --teacher <t.onnx> --student <s.onnx> --images … --labels … -o <out.onnx>`:
// trains an ONNX student (e.g. a pruned or narrower model) against an ONNX teacher with
// knowledge distillation (Hinton et al. 2015: α·CE + (1−α)·τ²·KL) through @efficientdl/distill's
// Distiller and nn's fit, then writes the student back as ONNX (same graph, new weights).
// Prints teacher and student accuracy before/after when test data is given; LAST line
// `student accuracy: 0.XXXX` (or `wrote <file>` without test data).
import { writeFile } from 'node:fs/promises';
import { Distiller } from '@efficientdl/distill';
import { Adam, DataLoader, GraphModule, type TensorDataset, fit } from '@efficientdl/nn';
import { exportOnnx } from '@efficientdl/onnx';
import { type Command, InvalidArgumentError } from 'commander';
import { type CommandContext, parseNumber, parsePositiveInteger, parsePositiveNumber } from '../cli-options.js';
import { type CliIo, printLine, printNote } from '../io.js';
import { loadModel } from '../load-model.js';
import { datasetAccuracy, loadLabeledDataset } from '../labeled-images.js';
import { UsageError } from '../usage-error.js';

export interface DistillOptions {
  teacher: string;
  student: string;
  output: string;
  images: string;
  labels: string;
  testImages?: string;
  testLabels?: string;
  epochs: number;
  batchSize: number;
  lr: number;
  temperature: number;
  alpha: number;
  limit?: number;
  scale: number;
  mean: number;
  std: number;
  seed: number;
}

export interface DistillResult {
  teacherAccuracy?: number;
  studentBefore?: number;
  studentAfter?: number;
}

function parseAlpha(text: string): number {
  const value = parseNumber(text);
  if (value < 0 || value > 1) throw new InvalidArgumentError(`'${text}' must be in [0, 1].`);
  return value;
}

async function testSet(options: DistillOptions, student: GraphModule): Promise<TensorDataset | undefined> {
  if (options.testImages === undefined && options.testLabels === undefined) return undefined;
  if (options.testImages === undefined || options.testLabels === undefined) throw new UsageError('--test-images and --test-labels go together');
  return loadLabeledDataset(student.graph, { images: options.testImages, labels: options.testLabels, normalization: options });
}

export async function runDistill(io: CliIo, options: DistillOptions): Promise<DistillResult> {
  const teacher = GraphModule.fromGraph(await loadModel(options.teacher));
  const student = GraphModule.fromGraph(await loadModel(options.student));
  const train = await loadLabeledDataset(student.graph, { images: options.images, labels: options.labels, normalization: options, limit: options.limit });
  const test = await testSet(options, student);
  const result: DistillResult = {};
  if (test) {
    result.teacherAccuracy = datasetAccuracy(teacher, test);
    result.studentBefore = datasetAccuracy(student, test);
    printLine(io, `teacher accuracy: ${result.teacherAccuracy.toFixed(4)}`);
    printLine(io, `student accuracy before: ${result.studentBefore.toFixed(4)}`);
  }
  const distiller = new Distiller({ teacher, student, temperature: options.temperature, alpha: options.alpha });
  printNote(io, `distilling ${train.length} images, ${options.epochs} epoch(s), τ = ${options.temperature}, α = ${options.alpha}`);
  await fit({
    model: distiller,
    optimizer: new Adam(student.parameters(), { lr: options.lr }),
    loss: distiller.fitLoss(),
    trainLoader: new DataLoader(train, { batchSize: options.batchSize, shuffle: true, seed: options.seed }),
    epochs: options.epochs,
    progressStream: { write: (text: string) => io.stderr(text), isTTY: false },
  });
  student.eval();
  await writeFile(options.output, exportOnnx(student.toGraph(), { opset: 17 }));
  printNote(io, `wrote ${options.output}`);
  if (test) {
    result.studentAfter = datasetAccuracy(student, test);
    printLine(io, `student accuracy: ${result.studentAfter.toFixed(4)}`);
  } else {
    printLine(io, `wrote ${options.output}`);
  }
  return result;
}

export function registerDistill(program: Command, context: CommandContext): void {
  program
    .command('distill')
    .description('train an ONNX student against an ONNX teacher with knowledge distillation')
    .requiredOption('--teacher <model>', 'teacher ONNX model (frozen, eval mode)')
    .requiredOption('--student <model>', 'student ONNX model (trained)')
    .requiredOption('-o, --output <file>', 'where to write the trained student (ONNX, opset 17)')
    .requiredOption('--images <file>', 'training IDX images, (N, H, W) uint8, optionally .gz')
    .requiredOption('--labels <file>', 'training IDX labels')
    .option('--test-images <file>', 'IDX images for accuracy before/after')
    .option('--test-labels <file>', 'IDX labels for accuracy before/after')
    .option('--epochs <count>', 'training epochs', parsePositiveInteger, 1)
    .option('--batch-size <count>', 'images per step', parsePositiveInteger, 64)
    .option('--lr <number>', 'Adam learning rate', parsePositiveNumber, 1e-3)
    .option('--temperature <number>', 'softmax temperature τ', parsePositiveNumber, 4)
    .option('--alpha <number>', 'weight of the hard-label cross-entropy, in [0, 1]', parseAlpha, 0.5)
    .option('--limit <count>', 'train on the first <count> images only', parsePositiveInteger)
    .option('--seed <number>', 'shuffle seed', parsePositiveInteger, 1)
    .option('--scale <number>', 'pixel multiplier before normalization', parseNumber, 1 / 255)
    .option('--mean <number>', 'subtracted after scaling', parseNumber, 0)
    .option('--std <number>', 'divides after subtracting the mean', parsePositiveNumber, 1)
    .action(async (options: DistillOptions) => {
      await runDistill(context.io, options);
      context.exitCode = 0;
    });
}
