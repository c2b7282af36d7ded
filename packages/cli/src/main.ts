// The efficientdl command line: builds the commander program around an io (stdout/stderr
// writers) and returns the exit code instead of exiting, so tests run commands in-process.
// Exit codes: 0 success, 1 failure (typed EfficientDLError → `error [E_CODE]: message`, or a
// conformance run with failures), 2 usage error.
import { EfficientDLError } from '@efficientdl/ir';
import { Command, CommanderError } from 'commander';
import type { CreateEngineOptions } from './backends.js';
import type { CommandContext } from './cli-options.js';
import { registerConformance } from './commands/conformance.js';
import { registerDistill } from './commands/distill.js';
import { registerEval } from './commands/eval.js';
import { registerInspect } from './commands/inspect.js';
import { registerNas } from './commands/nas.js';
import { registerPrune } from './commands/prune.js';
import { registerQuantize } from './commands/quantize.js';
import { registerRun } from './commands/run.js';
import { type CliIo, printNote, processIo } from './io.js';
import { UsageError } from './usage-error.js';

export const CLI_VERSION = '0.1.0';

export interface MainOptions {
  engine?: CreateEngineOptions;
}

function buildProgram(context: CommandContext): Command {
  const program = new Command('efficientdl')
    .description('EfficientDL: inspect, run, evaluate and conformance-test ONNX models')
    .version(CLI_VERSION)
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({ writeOut: (text) => context.io.stdout(text), writeErr: (text) => context.io.stderr(text) });
  registerConformance(program, context);
  registerInspect(program, context);
  registerRun(program, context);
  registerEval(program, context);
  registerPrune(program, context);
  registerDistill(program, context);
  registerQuantize(program, context);
  registerNas(program, context);
  return program;
}

/** Reports an error on stderr as one line and returns its exit code. */
export function reportError(io: CliIo, error: unknown): number {
  if (error instanceof CommanderError) {
    // commander printed its message already; help and version are successes
    if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return 0;
    return 2;
  }
  if (error instanceof UsageError) {
    printNote(io, `error: ${error.message}`);
    return 2;
  }
  if (error instanceof EfficientDLError) {
    printNote(io, `error [${error.code}]: ${error.message.replace(/\s*\n\s*/g, ' ')}`);
    return 1;
  }
  const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  printNote(io, `error: ${message}`);
  if (process.env.EFFICIENTDL_DEBUG && error instanceof Error && error.stack) printNote(io, error.stack);
  else printNote(io, '(internal error; set EFFICIENTDL_DEBUG=1 for the stack trace)');
  return 1;
}

/** Runs the CLI on `argv` (without node and script), e.g. ['inspect', 'model.onnx', '--json']. */
export async function main(argv: readonly string[], io: CliIo = processIo(), options: MainOptions = {}): Promise<number> {
  const context: CommandContext = { io, exitCode: 0, engineOptions: options.engine ?? {} };
  const program = buildProgram(context);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return context.exitCode;
  } catch (error) {
    return reportError(io, error);
  }
}
