// Command-line options of train.ts and demo.ts (node:util parseArgs), validated into numbers.
import { parseArgs } from 'node:util';

export interface CliOptions {
  data?: string;
  epochs: number;
  batchSize: number;
  lr: number;
  seed: number;
  limit?: number;
  checkpointDir?: string;
  exportOnnx?: string;
  resume: boolean;
  help: boolean;
}

function positiveNumber(name: string, text: string | undefined, fallback: number, integer: boolean): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0 || (integer && !Number.isInteger(value))) {
    throw new Error(`--${name} must be a non-negative ${integer ? 'integer' : 'number'}, got '${text}'`);
  }
  return value;
}

export function parseCliOptions(argv: readonly string[], defaults: { epochs: number }): CliOptions {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      data: { type: 'string' },
      epochs: { type: 'string' },
      'batch-size': { type: 'string' },
      lr: { type: 'string' },
      seed: { type: 'string' },
      limit: { type: 'string' },
      'checkpoint-dir': { type: 'string' },
      'export-onnx': { type: 'string' },
      resume: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  return {
    data: values.data,
    epochs: positiveNumber('epochs', values.epochs, defaults.epochs, true),
    batchSize: Math.max(1, positiveNumber('batch-size', values['batch-size'], 64, true)),
    lr: positiveNumber('lr', values.lr, 2e-3, false),
    seed: positiveNumber('seed', values.seed, 0, true),
    limit: values.limit === undefined ? undefined : positiveNumber('limit', values.limit, 0, true),
    checkpointDir: values['checkpoint-dir'],
    exportOnnx: values['export-onnx'],
    resume: values.resume ?? false,
    help: values.help ?? false,
  };
}

export const OPTIONS_HELP = `  --epochs N           training epochs
  --batch-size N       batch size (default 64)
  --lr X               peak learning rate of AdamW (default 0.002, cosine-annealed per step)
  --seed N             seed of initialisation and shuffling (default 0)
  --limit N            use only the first N training images
  --checkpoint-dir DIR write a checkpoint per epoch into DIR
  --resume             continue from the latest checkpoint in --checkpoint-dir
  --export-onnx FILE   after training, trace the model (eval mode, dynamic batch) and write it as ONNX`;
