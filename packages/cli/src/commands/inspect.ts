// `efficientdl inspect <model.onnx>`: graph summary (name, opsets, inputs/outputs with shapes,
// node count by op) and the cost table of @efficientdl/ir (parameters, MACs, weight bytes, peak
// activation memory); `--json` prints one JSON object instead.
import { type CostReport, type Graph, type Value, analyzeCost, formatCostTable, formatShape } from '@efficientdl/ir';
import type { Command } from 'commander';
import { type CommandContext, parseDims } from '../cli-options.js';
import { type CliIo, printLine } from '../io.js';
import { type ModelHeader, loadModelWithHeader } from '../load-model.js';

interface InspectOptions {
  json?: boolean;
  dims?: Record<string, number>;
}

function describeValue(value: Value): { name: string; dtype: string; shape: (number | string)[] } {
  return { name: value.name, dtype: value.dtype, shape: [...value.shape] };
}

/** The JSON document of `inspect --json`. */
export function inspectJson(graph: Graph, header: ModelHeader, report: CostReport): Record<string, unknown> {
  return {
    params: report.params,
    macs: report.macs,
    bytes: report.bytes,
    peakActivationBytes: report.peakActivationBytes,
    ops: report.ops,
    // at one byte per element (an int8 deployment: the budgets of `efficientdl nas search`)
    int8: { weightBytes: report.params, peakActivationBytes: report.peakActivationElements },
    graph: graph.name,
    irVersion: header.irVersion,
    producer: header.producer,
    fileOpsets: header.opsets,
    opsets: graph.opsets,
    inputs: graph.inputs.map(describeValue),
    outputs: graph.outputs.map(describeValue),
    nodeCount: graph.nodes.length,
    bytesByDType: report.bytesByDType,
    unresolvedDims: report.unresolvedDims,
  };
}

function formatOpsets(opsets: Readonly<Record<string, number>>): string {
  return Object.entries(opsets)
    .map(([domain, version]) => `${domain === '' ? 'ai.onnx' : domain} ${version}`)
    .join(', ');
}

function valueLines(values: readonly Value[]): string[] {
  const width = Math.max(0, ...values.map((value) => value.name.length));
  return values.map((value) => `  ${value.name.padEnd(width)}  ${value.dtype}${formatShape(value.shape)}`);
}

/** The text summary printed above the cost table. */
export function graphSummary(options: { graph: Graph; file: string; header: ModelHeader; report: CostReport }): string[] {
  const { graph, file, header, report } = options;
  const byOp = Object.entries(report.ops)
    .sort(([a, countA], [b, countB]) => countB - countA || a.localeCompare(b))
    .map(([op, count]) => `${op} x${count}`);
  return [
    `model: ${file}`,
    `graph: ${graph.name}${header.producer ? ` (producer: ${header.producer})` : ''}`,
    `IR version: ${header.irVersion}; opsets: ${formatOpsets(header.opsets)} (imported as ${formatOpsets(graph.opsets)})`,
    `inputs (${graph.inputs.length}):`,
    ...valueLines(graph.inputs),
    `outputs (${graph.outputs.length}):`,
    ...valueLines(graph.outputs),
    `initializers: ${graph.initializers.size}`,
    `nodes: ${graph.nodes.length} (${byOp.join(', ')})`,
  ];
}

export async function runInspect(io: CliIo, file: string, options: InspectOptions): Promise<void> {
  const { graph, header } = await loadModelWithHeader(file);
  const report = analyzeCost(graph, { dims: options.dims ?? {} });
  if (options.json) {
    printLine(io, JSON.stringify(inspectJson(graph, header, report), null, 2));
    return;
  }
  for (const line of graphSummary({ graph, file, header, report })) printLine(io, line);
  printLine(io, '');
  printLine(io, formatCostTable(report));
}

export function registerInspect(program: Command, context: CommandContext): void {
  program
    .command('inspect')
    .description('print a model summary and its cost table (parameters, MACs, bytes, peak activation memory)')
    .argument('<model>', 'ONNX model file')
    .option('--json', 'print one JSON object {params, macs, bytes, peakActivationBytes, ops, ...}')
    .option('--dims <NAME=VALUE,...>', 'values for symbolic dims, e.g. N=1 (repeatable)', parseDims)
    .action(async (file: string, options: InspectOptions) => {
      await runInspect(context.io, file, options);
      context.exitCode = 0;
    });
}
