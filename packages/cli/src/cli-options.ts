// Shared option definitions and value parsers for the commands. Parsers throw commander's
// InvalidArgumentError, which the CLI reports as a usage error (exit code 2).
import { InvalidArgumentError, Option } from 'commander';
import { BACKEND_NAMES, type BackendName, type CreateEngineOptions } from './backends.js';
import type { CliIo } from './io.js';

/** What every command action receives from main(). */
export interface CommandContext {
  io: CliIo;
  /** The action sets it; main() returns it. */
  exitCode: number;
  engineOptions: CreateEngineOptions;
}

export interface BackendOptions {
  backend: BackendName;
}

export function backendOption(): Option {
  return new Option('-b, --backend <name>', 'execution backend').choices(BACKEND_NAMES).default('cpu');
}

export function parseNumber(text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) throw new InvalidArgumentError(`'${text}' is not a finite number.`);
  return value;
}

export function parsePositiveNumber(text: string): number {
  const value = parseNumber(text);
  if (value <= 0) throw new InvalidArgumentError(`'${text}' must be greater than 0.`);
  return value;
}

export function parseNonNegativeNumber(text: string): number {
  const value = parseNumber(text);
  if (value < 0) throw new InvalidArgumentError(`'${text}' must not be negative.`);
  return value;
}

export function parsePositiveInteger(text: string): number {
  const value = parseNumber(text);
  if (!Number.isInteger(value) || value < 1) throw new InvalidArgumentError(`'${text}' is not a positive integer.`);
  return value;
}

/** Repeatable option: collects every occurrence. */
export function collect(text: string, previous: string[] = []): string[] {
  return [...previous, text];
}

/** `--dims N=1,seq=128` (repeatable): symbolic dim values, merged over occurrences. */
export function parseDims(text: string, previous: Record<string, number> = {}): Record<string, number> {
  const dims = { ...previous };
  for (const part of text.split(',')) {
    const match = /^\s*([^=\s]+)\s*=\s*(\d+)\s*$/.exec(part);
    if (!match) throw new InvalidArgumentError(`'${part}' is not NAME=VALUE with a non-negative integer VALUE (e.g. N=1).`);
    dims[match[1] as string] = Number(match[2]);
  }
  return dims;
}
