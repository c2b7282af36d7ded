// Where the CLI writes: stdout/stderr writers (so tests run commands in-process and capture
// them) and, only when stderr is an interactive terminal, a stream for progress bars.
import { ConfigError } from '@efficientdl/ir';

export interface CliIo {
  /** Writes text to standard output as is (callers add the newline). */
  stdout(text: string): void;
  /** Writes text to standard error as is. */
  stderr(text: string): void;
  /** Terminal stream for progress bars; undefined = draw none (stderr is not a TTY, or tests). */
  progressStream?: NodeJS.WriteStream;
}

/** Writes one line to stdout. */
export function printLine(io: CliIo, line: string): void {
  io.stdout(`${line}\n`);
}

/** Writes one line to stderr. */
export function printNote(io: CliIo, line: string): void {
  io.stderr(`${line}\n`);
}

/** The real process streams; progress bars only when stderr is a terminal. */
export function processIo(): CliIo {
  return {
    stdout: (text) => {
      process.stdout.write(text);
    },
    stderr: (text) => {
      process.stderr.write(text);
    },
    progressStream: process.stderr.isTTY ? process.stderr : undefined,
  };
}

/** Collects everything written; for tests and for embedding the CLI. */
export interface CapturedIo extends CliIo {
  readonly out: string[];
  readonly err: string[];
  stdoutText(): string;
  stderrText(): string;
}

export function captureIo(): CapturedIo {
  const out: string[] = [];
  const err: string[] = [];
  return {
    out,
    err,
    stdout: (text) => out.push(text),
    stderr: (text) => err.push(text),
    stdoutText: () => out.join(''),
    stderrText: () => err.join(''),
  };
}

/** Reads a whole file, turning "no such file" and friends into a ConfigError naming it. */
export async function readFileBytes(path: string, what: string): Promise<Uint8Array> {
  const { readFile } = await import('node:fs/promises');
  try {
    return new Uint8Array(await readFile(path));
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const reason = code === 'ENOENT' ? 'does not exist' : code === 'EISDIR' ? 'is a directory' : `cannot be read (${(error as Error).message})`;
    throw new ConfigError(`${what} '${path}' ${reason}`, { file: path });
  }
}
