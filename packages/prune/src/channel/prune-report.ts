// The report of a pruning run: channels per layer before/after, parameters and MACs before/after
// (the IR cost model, symbolic dims bound to the example inputs with batch 1), as data and as a table.
import { type Graph, analyzeCost } from '@efficientdl/ir';
import type { ShapedExample } from '../dependency-graph/graph-facts.js';

export interface LayerReport {
  readonly name: string;
  readonly op: string;
  readonly group: number;
  readonly channelsBefore: number;
  readonly channelsAfter: number;
}

export interface BeforeAfter {
  readonly before: number;
  readonly after: number;
}

export interface PruneReport {
  readonly granularity: string;
  readonly importance: string;
  readonly scope: string;
  readonly ratio: number;
  readonly layers: readonly LayerReport[];
  readonly params: BeforeAfter;
  readonly macs: BeforeAfter;
}

/** Symbolic input dims bound to the example inputs' dims (the batch dim to 1). */
export function costDims(graph: Graph, examples?: readonly ShapedExample[]): Record<string, number> {
  const dims: Record<string, number> = {};
  const inputs = graph.inputs.filter((value) => !graph.initializers.has(value.name));
  inputs.forEach((value, index) => {
    value.shape.forEach((dim, axis) => {
      if (typeof dim === 'string') dims[dim] ??= axis === 0 ? 1 : (examples?.[index]?.shape[axis] ?? 1);
    });
  });
  return dims;
}

export function graphCost(graph: Graph, examples?: readonly ShapedExample[]): { params: number; macs: number } {
  const cost = analyzeCost(graph, { dims: costDims(graph, examples) });
  return { params: cost.params, macs: cost.macs };
}

function percent(after: number, before: number): string {
  return before === 0 ? '-' : `${((100 * after) / before).toFixed(1)}%`;
}

export function formatCount(value: number): string {
  return value.toLocaleString('en-US');
}

/** A fixed-width table: one row per layer, then params and MACs. */
export function formatPruneReport(report: PruneReport): string {
  const rows = report.layers.map((layer) => [layer.name, layer.op, String(layer.group), String(layer.channelsBefore), String(layer.channelsAfter)]);
  const header = ['layer', 'op', 'group', 'channels', 'after'];
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] as string).length)));
  const line = (cells: readonly string[]) => cells.map((cell, column) => (column >= 2 ? cell.padStart(widths[column] as number) : cell.padEnd(widths[column] as number))).join('  ');
  return [
    `${report.granularity} pruning, ${report.scope} ratio ${report.ratio}, importance ${report.importance}`,
    line(header),
    ...rows.map(line),
    `params: ${formatCount(report.params.before)} -> ${formatCount(report.params.after)} (${percent(report.params.after, report.params.before)})`,
    `MACs:   ${formatCount(report.macs.before)} -> ${formatCount(report.macs.after)} (${percent(report.macs.after, report.macs.before)})`,
  ].join('\n');
}
