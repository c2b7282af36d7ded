// Renders a CostReport as an aligned text table (per-node rows, then totals), as printed by
// `efficientdl inspect`.
import type { CostReport } from './analyze-cost.js';

/** 1234567 -> "1,234,567". */
export function formatCount(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

/** Bytes with a binary unit: "1.50 KiB". */
export function formatBytes(value: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let scaled = value;
  let unit = 0;
  while (scaled >= 1024 && unit < units.length - 1) {
    scaled /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${scaled.toFixed(2)} ${units[unit]}`;
}

function alignRows(rows: readonly string[][], rightAligned: readonly boolean[]): string[] {
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  return rows.map((row) =>
    row
      .map((cell, column) => (rightAligned[column] ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
}

/** An aligned table: one row per node, a totals row, then storage and memory summaries. */
export function formatCostTable(report: CostReport): string {
  const header = ['node', 'op', 'MACs', 'params', 'output bytes'];
  const body = report.nodes.map((node) => [node.name, node.op, formatCount(node.macs), formatCount(node.params), formatCount(node.outputBytes)]);
  const totals = ['total', '', formatCount(report.macs), formatCount(report.params), ''];
  const lines = alignRows([header, ...body, totals], [false, false, true, true, true]);
  const rule = '-'.repeat(Math.max(...lines.map((line) => line.length)));
  const storage = Object.entries(report.bytesByDType)
    .map(([dtype, bytes]) => `${dtype} ${formatBytes(bytes ?? 0)}`)
    .join(', ');
  const summary = [
    `parameters: ${formatCount(report.params)}`,
    `weight bytes: ${formatBytes(report.bytes)}${storage ? ` (${storage})` : ''}`,
    `MACs: ${formatCount(report.macs)}`,
    `peak activation memory: ${formatBytes(report.peakActivationBytes)}`,
    `ops: ${Object.entries(report.ops)
      .map(([op, count]) => `${op} x${count}`)
      .join(', ')}`,
  ];
  if (report.unresolvedDims.length > 0) summary.push(`unresolved dims (counted as 1): ${report.unresolvedDims.join(', ')}`);
  return [lines[0] as string, rule, ...lines.slice(1, -1), rule, lines[lines.length - 1] as string, '', ...summary].join('\n');
}
