// Loader for ONNX's backend node-test layout: <case>/model.onnx plus
// <case>/test_data_set_N/{input,output}_K.pb (serialized TensorProto). Names come from the .pb
// files, or from the graph's input/output order when a .pb is unnamed.
// reference: https://github.com/onnx/onnx/blob/main/docs/OnnxBackendTest.md
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Graph, TensorData } from '@efficientdl/ir';
import { importOnnx, readTensorProto } from '@efficientdl/onnx';
import { runGraph } from '@efficientdl/tensor';
import { type Tolerance, compareClose } from './expect-close.js';

export interface NodeTestDataset {
  inputs: Record<string, TensorData>;
  outputs: Record<string, TensorData>;
}

export interface NodeTest {
  name: string;
  graph: Graph;
  datasets: NodeTestDataset[];
}

/** Every folder below `dir` (recursively, sorted) that holds a model.onnx. */
export function listNodeTests(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const found: string[] = [];
  const visit = (folder: string) => {
    if (existsSync(join(folder, 'model.onnx'))) found.push(folder);
    for (const entry of readdirSync(folder).sort()) {
      const path = join(folder, entry);
      if (statSync(path).isDirectory()) visit(path);
    }
  };
  visit(dir);
  return found;
}

function numbered(folder: string, prefix: string): string[] {
  const pattern = new RegExp(`^${prefix}_(\\d+)\\.pb$`);
  return readdirSync(folder)
    .map((entry) => ({ entry, match: pattern.exec(entry) }))
    .filter((item) => item.match !== null)
    .sort((a, b) => Number(a.match?.[1]) - Number(b.match?.[1]))
    .map((item) => join(folder, item.entry));
}

function readTensors(files: readonly string[], names: readonly string[]): Record<string, TensorData> {
  const result: Record<string, TensorData> = {};
  files.forEach((file, index) => {
    const { name, tensor } = readTensorProto(readFileSync(file), file);
    result[name || (names[index] ?? `#${index}`)] = tensor;
  });
  return result;
}

/** Reads the data sets of a test folder against an already imported graph. */
export function loadNodeTestDatasets(folder: string, graph: Graph): NodeTestDataset[] {
  const inputNames = graph.inputs.map((value) => value.name);
  const outputNames = graph.outputs.map((value) => value.name);
  return readdirSync(folder)
    .filter((entry) => /^test_data_set_\d+$/.test(entry))
    .sort()
    .map((entry) => {
      const dataset = join(folder, entry);
      return {
        inputs: readTensors(numbered(dataset, 'input'), inputNames),
        outputs: readTensors(numbered(dataset, 'output'), outputNames),
      };
    });
}

/** Imports a node test's model and reads all of its data sets. */
export function loadNodeTest(folder: string): NodeTest {
  const model = join(folder, 'model.onnx');
  const graph = importOnnx(readFileSync(model), { file: model });
  return { name: basename(folder), graph, datasets: loadNodeTestDatasets(folder, graph) };
}

export interface DatasetComparison {
  ok: boolean;
  /** Why it failed: the first output whose dtype, shape or values differ. */
  reason: string;
}

/** Runs `graph` on the cpu engine with a data set's inputs and compares every output. */
export function runNodeTestDataset(graph: Graph, dataset: NodeTestDataset, tolerance: Tolerance): DatasetComparison {
  if (Object.keys(dataset.outputs).length === 0) return { ok: false, reason: 'the data set has no reference outputs' };
  const results = runGraph(graph, dataset.inputs);
  for (const [name, expected] of Object.entries(dataset.outputs)) {
    const actual = results[name]?.data;
    if (!actual) return { ok: false, reason: `output '${name}' missing (graph outputs: ${Object.keys(results).join(', ')})` };
    if (actual.dtype !== expected.dtype) return { ok: false, reason: `output '${name}': dtype ${actual.dtype}, expected ${expected.dtype}` };
    const report = compareClose(actual, expected, tolerance);
    if (!report.ok) return { ok: false, reason: `output '${name}': ${report.message}` };
  }
  return { ok: true, reason: '' };
}
