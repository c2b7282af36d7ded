// `efficientdl conformance <dir>`: runs every folder below <dir> in ONNX's node-test layout
// (model.onnx + test_data_set_*/input_*.pb, output_*.pb) on one backend and compares outputs
// with ONNX's backend-test tolerances. One stdout line per failure or skip, then the tally
// `N passed, M failed, K skipped` as the last stdout line; exit code 0 only with no failure.
import { basename, relative } from 'node:path';
import { ConfigError } from '@efficientdl/ir';
import type { Command } from 'commander';
import { createEngine } from '../backends.js';
import { type BackendOptions, type CommandContext, backendOption, parseNonNegativeNumber } from '../cli-options.js';
import { ONNX_TOLERANCE, type Tolerance } from '../compare.js';
import { runConformanceCase } from '../conformance-case.js';
import { type CliIo, printLine, printNote } from '../io.js';
import { listModelFolders } from '../node-test-layout.js';
import { startProgress } from '../progress.js';
import { UsageError } from '../usage-error.js';

interface ConformanceOptions extends BackendOptions, Tolerance {
  filter?: string;
}

export interface ConformanceTally {
  passed: number;
  failed: number;
  skipped: number;
}

function caseName(dir: string, folder: string): string {
  const name = relative(dir, folder);
  return name === '' ? basename(folder) : name;
}

function filterPattern(filter: string | undefined): RegExp | undefined {
  if (filter === undefined) return undefined;
  try {
    return new RegExp(filter);
  } catch (error) {
    throw new UsageError(`--filter '${filter}' is not a valid regular expression (${(error as Error).message})`);
  }
}

function selectFolders(dir: string, filter: string | undefined): string[] {
  const pattern = filterPattern(filter);
  const folders = listModelFolders(dir);
  if (folders.length === 0) throw new ConfigError(`no model.onnx found in or below '${dir}' (expected ONNX's node-test layout)`, { file: dir });
  return pattern ? folders.filter((folder) => pattern.test(caseName(dir, folder))) : folders;
}

/** Runs the cases and prints them; returns the tally. */
export async function runConformance(io: CliIo, dir: string, options: ConformanceOptions, context: CommandContext): Promise<ConformanceTally> {
  const folders = selectFolders(dir, options.filter);
  const engine = await createEngine(options.backend, context.engineOptions);
  printNote(io, `backend: ${engine.description}`);
  printNote(io, `${folders.length} model folder(s) below ${dir}; tolerance rtol ${options.rtol}, atol ${options.atol}`);
  const tally: ConformanceTally = { passed: 0, failed: 0, skipped: 0 };
  const progress = startProgress(io, { label: 'conformance', total: folders.length });
  try {
    for (const folder of folders) {
      const name = caseName(dir, folder);
      const outcome = await runConformanceCase({ folder, engine, tolerance: { rtol: options.rtol, atol: options.atol } });
      if (outcome.status === 'pass') tally.passed++;
      else {
        if (outcome.status === 'fail') tally.failed++;
        else tally.skipped++;
        progress.interrupt();
        printLine(io, `${outcome.status === 'fail' ? 'FAIL' : 'SKIP'} ${name}: ${outcome.reason}`);
      }
      progress.increment(1, name);
    }
  } finally {
    progress.stop();
  }
  printLine(io, `${tally.passed} passed, ${tally.failed} failed, ${tally.skipped} skipped`);
  return tally;
}

export function registerConformance(program: Command, context: CommandContext): void {
  program
    .command('conformance')
    .description("run every model folder below <dir> in ONNX's node-test layout and compare its outputs")
    .argument('<dir>', 'folder searched recursively for model.onnx + test_data_set_*/ folders')
    .addOption(backendOption())
    .option('--rtol <number>', 'relative tolerance (ONNX backend-test default)', parseNonNegativeNumber, ONNX_TOLERANCE.rtol)
    .option('--atol <number>', 'absolute tolerance (ONNX backend-test default)', parseNonNegativeNumber, ONNX_TOLERANCE.atol)
    .option('--filter <regexp>', 'only the cases whose path below <dir> matches')
    .action(async (dir: string, options: ConformanceOptions) => {
      const tally = await runConformance(context.io, dir, options, context);
      context.exitCode = tally.failed === 0 ? 0 : 1;
    });
}
