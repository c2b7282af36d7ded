// The bench command: parse options, run, print the engines and the table, write --json/--markdown.
import { writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { USAGE, parseOptions } from './options.js';
import { type BenchReport, jsonRows, runBenchmarks } from './runner.js';
import { formatMarkdownTable, formatTextTable } from './table.js';

export interface CliIo {
  /** Table and summary (default console.log). */
  out?: (line: string) => void;
  /** Progress (default console.error). */
  progress?: (line: string) => void;
}

export function machineLine(): string {
  const cores = cpus();
  return `node ${process.version} ${process.arch}, ${cores.length} × ${cores[0]?.model ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB`;
}

export async function runCli(argv: readonly string[], io: CliIo = {}): Promise<BenchReport | undefined> {
  const out = io.out ?? ((line: string) => console.log(line));
  const options = parseOptions(argv);
  if (options.help) {
    out(USAGE);
    return undefined;
  }
  const report = await runBenchmarks({ ...options, log: io.progress ?? ((line) => console.error(line)) });
  out(machineLine());
  for (const [engine, description] of Object.entries(report.engineDescriptions)) out(`${engine.padEnd(12)} ${description}`);
  out('');
  out(formatTextTable(report));
  out('');
  out('ms = median after warm-up; ms ÷ ort / ms ÷ tfjs = time relative to onnxruntime / tfjs-wasm (below 1× = faster).');
  for (const { name, description } of report.workloads) out(`  ${name}: ${description}`);
  if (options.json) writeFileSync(options.json, `${JSON.stringify(jsonRows(report), null, 2)}\n`);
  if (options.markdown) writeFileSync(options.markdown, `${formatMarkdownTable(report)}\n`);
  return report;
}
