// One conformance case: import <folder>/model.onnx, prepare it on the engine, run every
// test_data_set_N and compare each output. The result is pass, fail (with a reason) or skip —
// skips only for dtypes out of scope by design: those the importer flags (`context.outOfScope`:
// float8, float4, 2-bit, string) and int4/uint4 Cast/CastLike.
import { join } from 'node:path';
import { type DType, EfficientDLError, type Graph, type TensorData } from '@efficientdl/ir';
import type { ExecutionEngine, GraphRunner } from './backends.js';
import { type Tolerance, compareTensors } from './compare.js';
import { loadModel } from './load-model.js';
import { type Dataset, listDatasetFolders, readDataset } from './node-test-layout.js';

export type CaseOutcome = { status: 'pass' } | { status: 'fail' | 'skip'; reason: string };

function oneLine(text: string): string {
  return text.replace(/\s*\n\s*/g, ' ');
}

function describeError(stage: string, error: unknown): string {
  if (error instanceof EfficientDLError) return oneLine(`${stage}: ${error.name} [${error.code}]: ${error.message}`);
  if (error instanceof Error) return oneLine(`${stage}: ${error.name}: ${error.message}`);
  return oneLine(`${stage}: ${String(error)}`);
}

/** Whether a Cast/CastLike node reads or writes int4/uint4 (out of scope for conformance). */
function castsPackedInt4(graph: Graph | undefined): boolean {
  if (!graph) return false;
  const dtypes = new Map<string, DType>();
  for (const value of [...graph.inputs, ...graph.valueInfo.values(), ...graph.outputs]) dtypes.set(value.name, value.dtype);
  for (const [name, tensor] of graph.initializers) dtypes.set(name, tensor.dtype);
  const packed = (name: string) => dtypes.get(name) === 'int4' || dtypes.get(name) === 'uint4';
  return graph.nodes.some((node) => (node.op === 'Cast' || node.op === 'CastLike') && [...node.inputs, ...node.outputs].some(packed));
}

/** A failure becomes a skip when its cause is out of scope by design. */
function classify(reason: string, graph: Graph | undefined, error?: unknown): CaseOutcome {
  if (error instanceof EfficientDLError && error.context.outOfScope) return { status: 'skip', reason: oneLine(error.message) };
  if (castsPackedInt4(graph)) return { status: 'skip', reason: `int4/uint4 Cast is out of scope (${reason})` };
  return { status: 'fail', reason };
}

async function runDataset(runner: GraphRunner, dataset: Dataset, tolerance: Tolerance): Promise<string | undefined> {
  const expectedNames = Object.keys(dataset.outputs);
  if (expectedNames.length === 0) return `${dataset.name} has no output_*.pb reference outputs`;
  const results: Record<string, TensorData> = await runner.run(dataset.inputs);
  for (const name of expectedNames) {
    const actual = results[name];
    if (!actual) return `output '${name}' missing (produced: ${Object.keys(results).join(', ')})`;
    const reason = compareTensors(actual, dataset.outputs[name] as TensorData, tolerance);
    if (reason) return `output '${name}': ${reason}`;
  }
  return undefined;
}

async function runDatasets(folder: string, graph: Graph, runner: GraphRunner, tolerance: Tolerance): Promise<CaseOutcome> {
  const names = listDatasetFolders(folder);
  if (names.length === 0) return { status: 'fail', reason: 'no test_data_set_* folders' };
  for (const name of names) {
    const where = names.length > 1 ? ` (${name})` : '';
    let dataset: Dataset;
    try {
      dataset = await readDataset(folder, name, graph);
    } catch (error) {
      return classify(describeError(`read${where}`, error), graph, error);
    }
    try {
      const mismatch = await runDataset(runner, dataset, tolerance);
      if (mismatch) return classify(`mismatch${where}: ${mismatch}`, graph);
    } catch (error) {
      return classify(describeError(`run${where}`, error), graph, error);
    }
  }
  return { status: 'pass' };
}

/** Runs the case in `folder` on `engine`. Never throws: every problem becomes a fail or a skip. */
export async function runConformanceCase(options: { folder: string; engine: ExecutionEngine; tolerance: Tolerance }): Promise<CaseOutcome> {
  const { folder, engine, tolerance } = options;
  let graph: Graph;
  try {
    graph = await loadModel(join(folder, 'model.onnx'));
  } catch (error) {
    return classify(describeError('import', error), undefined, error);
  }
  let runner: GraphRunner;
  try {
    runner = await engine.prepare(graph);
  } catch (error) {
    return classify(describeError('prepare', error), graph, error);
  }
  try {
    return await runDatasets(folder, graph, runner, tolerance);
  } finally {
    runner.dispose();
  }
}
