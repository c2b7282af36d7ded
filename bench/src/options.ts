// Command-line options of `pnpm bench`.
import { ConfigError } from '@efficientdl/ir';
import { ENGINE_NAMES, type EngineName } from './engines.js';

export const USAGE = `usage: pnpm bench [options]
  --only <substring>     run the workloads whose name contains it
  --engines <a,b,…>      engines to run (${ENGINE_NAMES.join(', ')}; default all)
  --runs <N>             timed runs per pair after warm-up (default 5; slow pairs drop to 3, see --budget)
  --budget <seconds>     time of the timed runs per pair before runs are reduced (default 15)
  --ort-threads <N>      onnxruntime intra-op threads (default: cores, at most 4)
  --quick                tiny sizes (smoke test)
  --json <file>          write [{ workload, engine, ms, gflops }]
  --markdown <file>      write the table as Markdown`;

export interface CliOptions {
  quick: boolean;
  only?: string;
  engines?: EngineName[];
  runs?: number;
  budgetSeconds?: number;
  onnxruntimeThreads?: number;
  json?: string;
  markdown?: string;
  help: boolean;
}

function positiveInteger(flag: string, text: string | undefined): number {
  const value = Number(text);
  if (!Number.isInteger(value) || value < 1) throw new ConfigError(`bench: ${flag} needs a positive integer, got '${text}'`, { flag });
  return value;
}

function engineList(text: string | undefined): EngineName[] {
  const names = (text ?? '').split(',').filter((name) => name !== '');
  const unknown = names.filter((name) => !(ENGINE_NAMES as readonly string[]).includes(name));
  if (names.length === 0 || unknown.length > 0) {
    throw new ConfigError(`bench: --engines takes a comma list of ${ENGINE_NAMES.join(', ')}, got '${text}'`, { flag: '--engines' });
  }
  return names as EngineName[];
}

export function parseOptions(argv: readonly string[]): CliOptions {
  const options: CliOptions = { quick: false, help: false };
  for (let index = 0; index < argv.length; index++) {
    const flag = argv[index] as string;
    const value = () => {
      const next = argv[++index];
      if (next === undefined) throw new ConfigError(`bench: ${flag} needs a value`, { flag });
      return next;
    };
    if (flag === '--quick') options.quick = true;
    else if (flag === '--help' || flag === '-h') options.help = true;
    else if (flag === '--only') options.only = value();
    else if (flag === '--engines') options.engines = engineList(value());
    else if (flag === '--runs') options.runs = positiveInteger(flag, value());
    else if (flag === '--budget') options.budgetSeconds = positiveInteger(flag, value());
    else if (flag === '--ort-threads') options.onnxruntimeThreads = positiveInteger(flag, value());
    else if (flag === '--json') options.json = value();
    else if (flag === '--markdown') options.markdown = value();
    else throw new ConfigError(`bench: unknown option '${flag}'\n${USAGE}`, { flag });
  }
  return options;
}
