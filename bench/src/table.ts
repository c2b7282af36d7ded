// Formats a BenchReport as a fixed-width text table (stdout) or a Markdown table (BENCHMARKS.md).
// Ratios are time ratios: engine ms ÷ reference ms (2.0× = twice as slow, 0.5× = twice as fast).
import type { EngineName } from './engines.js';
import type { BenchReport } from './runner.js';

const HEADERS = ['workload', 'engine', 'ms', 'GFLOP/s', 'runs', 'ms ÷ ort', 'ms ÷ tfjs'];

function ratio(report: BenchReport, workload: string, ms: number, reference: EngineName): string {
  const row = report.rows.find((candidate) => candidate.workload === workload && candidate.engine === reference);
  if (!row) return '—';
  const value = ms / row.ms;
  return `${value < 0.1 ? value.toPrecision(2) : value.toFixed(value < 100 ? 2 : 0)}×`;
}

function cells(report: BenchReport): string[][] {
  const lines: string[][] = [];
  for (const { name } of report.workloads) {
    for (const row of report.rows.filter((candidate) => candidate.workload === name)) {
      lines.push([
        name,
        row.engine,
        row.ms < 10 ? row.ms.toFixed(3) : row.ms.toFixed(1),
        row.gflops.toFixed(2),
        String(row.runs),
        ratio(report, name, row.ms, 'onnxruntime'),
        ratio(report, name, row.ms, 'tfjs-wasm'),
      ]);
    }
    for (const skip of report.skipped.filter((candidate) => candidate.workload === name)) {
      lines.push([name, skip.engine, `— (${skip.reason})`, '', '', '', '']);
    }
  }
  return lines;
}

export function formatTextTable(report: BenchReport): string {
  const rows = cells(report);
  const widths = HEADERS.map((header, column) =>
    Math.max(header.length, ...rows.filter((row) => !row[2]?.startsWith('—')).map((row) => (row[column] ?? '').length)),
  );
  const line = (row: string[]) =>
    row[2]?.startsWith('—')
      ? `${(row[0] ?? '').padEnd(widths[0] as number)}  ${(row[1] ?? '').padEnd(widths[1] as number)}  ${row[2]}`
      : row.map((cell, column) => (column < 2 ? cell.padEnd(widths[column] as number) : cell.padStart(widths[column] as number))).join('  ');
  return [line(HEADERS), ...rows.map(line)].join('\n');
}

export function formatMarkdownTable(report: BenchReport): string {
  const rows = cells(report);
  const header = `| ${HEADERS.join(' | ')} |`;
  const rule = `|${HEADERS.map((_, column) => (column < 2 ? ' --- ' : ' ---: ')).join('|')}|`;
  return [header, rule, ...rows.map((row) => `| ${row.join(' | ')} |`)].join('\n');
}
