// Test helper: runs the CLI in-process on captured stdout/stderr.
import { captureIo } from '../io.js';
import { type MainOptions, main } from '../main.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
  /** Non-empty stdout lines. */
  lines: string[];
}

export async function runCli(argv: string[], options: MainOptions = {}): Promise<CliResult> {
  const io = captureIo();
  const code = await main(argv, io, options);
  const stdout = io.stdoutText();
  return { code, stdout, stderr: io.stderrText(), lines: stdout.split('\n').filter((line) => line !== '') };
}
