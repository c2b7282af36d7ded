// Command-line options of demo.ts: its own compression options (--out-dir, --finetune-epochs,
// --macs-budget, --prune-ratio, --calib-count, --latency-runs) taken out of argv, and the
// training options shared with train.ts (cli-options.ts) parsed from the rest.
import { type CliOptions, OPTIONS_HELP, parseCliOptions } from './cli-options.js';

export interface DemoOptions extends CliOptions {
  outDir?: string;
  finetuneEpochs: number;
  macsBudget: number;
  pruneRatio?: number;
  calibCount: number;
  latencyRuns: number;
}

const DEMO_FLAGS = ['out-dir', 'finetune-epochs', 'macs-budget', 'prune-ratio', 'calib-count', 'latency-runs'] as const;
type DemoFlag = (typeof DEMO_FLAGS)[number];

/** Splits argv into the demo's own `--flag value` / `--flag=value` pairs and everything else. */
function takeDemoFlags(argv: readonly string[]): { flags: Partial<Record<DemoFlag, string>>; rest: string[] } {
  const flags: Partial<Record<DemoFlag, string>> = {};
  const rest: string[] = [];
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index] as string;
    const [name, inline] = argument.startsWith('--') ? (argument.slice(2).split(/=(.*)/s) as [string, string | undefined]) : [''];
    if (!(DEMO_FLAGS as readonly string[]).includes(name)) {
      rest.push(argument);
      continue;
    }
    const value = inline ?? argv[++index];
    if (value === undefined) throw new Error(`--${name} needs a value`);
    flags[name as DemoFlag] = value;
  }
  return { flags, rest };
}

function number(name: DemoFlag, text: string | undefined, fallback: number, check: { integer?: boolean; below?: number }): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0 || (check.integer && !Number.isInteger(value)) || (check.below !== undefined && value >= check.below)) {
    const kind = check.integer ? 'integer' : 'number';
    const expected = check.below === undefined ? `a non-negative ${kind}` : `a ${kind} in [0, ${check.below})`;
    throw new Error(`--${name} must be ${expected}, got '${text}'`);
  }
  return value;
}

export function parseDemoOptions(argv: readonly string[]): DemoOptions {
  const { flags, rest } = takeDemoFlags(argv);
  const pruneRatio = flags['prune-ratio'] === undefined ? undefined : number('prune-ratio', flags['prune-ratio'], 0, { below: 1 });
  const training = parseCliOptions(rest, { epochs: 3 });
  return {
    ...training,
    outDir: flags['out-dir'],
    // ~140 fine-tune steps on the embedded 3000 images; one epoch of the full set is ~940
    finetuneEpochs: number('finetune-epochs', flags['finetune-epochs'], training.data ? 1 : 3, { integer: true }),
    macsBudget: number('macs-budget', flags['macs-budget'], 0.4, {}),
    pruneRatio,
    calibCount: Math.max(1, number('calib-count', flags['calib-count'], 512, { integer: true })),
    latencyRuns: Math.max(1, number('latency-runs', flags['latency-runs'], 30, { integer: true })),
  };
}

export const DEMO_USAGE = `usage: demo [--data <folder with the 4 Fashion-MNIST .gz files>] [options]
Trains FashionCnn, channel-prunes and fine-tunes it, quantizes both models to int8 (static PTQ),
exports all four to ONNX and prints params, MACs, file size, backend-cpu latency and accuracy.
${OPTIONS_HELP.replace('training epochs', 'training epochs (default 3)')}
  --finetune-epochs N  fine-tune epochs of the pruned model (default 3; 1 with --data)
  --macs-budget X      prune to at most X of the float MACs (default 0.4; smallest uniform ratio that fits)
  --prune-ratio R      remove this fraction of the channels instead (in [0, 1))
  --calib-count N      int8 calibration images: the first N training images (default 512)
  --latency-runs N     timed batch-64 runs per model (default 30; the median is printed)
  --out-dir DIR        write the four ONNX files into DIR`;
