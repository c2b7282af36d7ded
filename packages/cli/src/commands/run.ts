// `efficientdl run <model.onnx> --input name=file.pb|file.npy ...`: runs a model on one backend,
// prints each output's name, dtype, shape, min, max and mean, and with `-o dir` writes the
// outputs as .pb (TensorProto) or .npy files.
import { ConfigError, type Graph, type TensorData, formatShape } from '@efficientdl/ir';
import { type Command, Option } from 'commander';
import { createEngine } from '../backends.js';
import { type BackendOptions, type CommandContext, backendOption, collect } from '../cli-options.js';
import { checkFeeds } from '../feeds.js';
import { type CliIo, printLine, printNote } from '../io.js';
import { loadModel } from '../load-model.js';
import { type TensorFileFormat, readTensorFile, writeTensorFile } from '../tensor-files.js';
import { formatStat, tensorStats } from '../tensor-stats.js';
import { UsageError } from '../usage-error.js';

interface RunOptions extends BackendOptions {
  input: string[];
  output?: string;
  format: TensorFileFormat;
}

/** `name=path`, or just `path` (name from the .pb, else the model's only input). */
function splitInputArgument(argument: string): { name?: string; path: string } {
  const match = /^([^=]+)=(.+)$/.exec(argument);
  if (match && !/[\\/]/.test(match[1] as string)) return { name: match[1] as string, path: match[2] as string };
  return { path: argument };
}

/** Reads the --input files and keys them by model input name. */
export async function readFeeds(graph: Graph, inputs: readonly string[]): Promise<Record<string, TensorData>> {
  const feeds: Record<string, TensorData> = {};
  for (const argument of inputs) {
    const { name, path } = splitInputArgument(argument);
    const file = await readTensorFile(path);
    const only = graph.inputs.length === 1 ? graph.inputs[0]?.name : undefined;
    const key = name ?? (file.name !== '' ? file.name : only);
    if (key === undefined) {
      throw new UsageError(`--input '${argument}': name the model input (NAME=${path}); inputs: ${graph.inputs.map((value) => value.name).join(', ')}`);
    }
    if (key in feeds) throw new UsageError(`model input '${key}' is given twice`);
    feeds[key] = file.tensor;
  }
  return feeds;
}

function printOutputs(io: CliIo, graph: Graph, outputs: Record<string, TensorData>): void {
  const rows = [['output', 'dtype', 'shape', 'min', 'max', 'mean']];
  for (const value of graph.outputs) {
    const tensor = outputs[value.name];
    if (!tensor) throw new ConfigError(`the backend did not return output '${value.name}'`, { value: value.name });
    const stats = tensorStats(tensor);
    rows.push([value.name, tensor.dtype, formatShape(tensor.shape), formatStat(stats.min), formatStat(stats.max), formatStat(stats.mean)]);
  }
  const widths = rows[0]?.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? '').length))) ?? [];
  for (const row of rows) printLine(io, row.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join('  ').trimEnd());
}

export async function runModel(io: CliIo, file: string, options: RunOptions, context: CommandContext): Promise<Record<string, TensorData>> {
  const graph = await loadModel(file);
  const feeds = await readFeeds(graph, options.input);
  checkFeeds(graph, feeds);
  const engine = await createEngine(options.backend, context.engineOptions);
  printNote(io, `backend: ${engine.description}`);
  const runner = await engine.prepare(graph);
  let outputs: Record<string, TensorData>;
  try {
    outputs = await runner.run(feeds);
  } finally {
    runner.dispose();
  }
  printOutputs(io, graph, outputs);
  if (options.output !== undefined) {
    for (const value of graph.outputs) {
      const path = await writeTensorFile({ dir: options.output, name: value.name, tensor: outputs[value.name] as TensorData, format: options.format });
      printLine(io, `wrote ${path}`);
    }
  }
  return outputs;
}

export function registerRun(program: Command, context: CommandContext): void {
  program
    .command('run')
    .description('run a model on input tensors and print (and optionally save) its outputs')
    .argument('<model>', 'ONNX model file')
    .option('-i, --input <name=file>', 'an input tensor file, .pb (TensorProto) or .npy (repeatable)', collect, [])
    .addOption(backendOption())
    .option('-o, --output <dir>', 'write every output into this folder')
    .addOption(new Option('--format <format>', 'file format of written outputs').choices(['pb', 'npy']).default('pb'))
    .action(async (file: string, options: RunOptions) => {
      await runModel(context.io, file, options, context);
      context.exitCode = 0;
    });
}
