// ONNX's backend node-test layout: <case>/model.onnx plus <case>/test_data_set_N/input_K.pb and
// output_K.pb (serialized TensorProto). Tensors are named by their .pb name, or by the graph's
// input/output order when the .pb is unnamed. Works for single-op tests and whole models alike.
// reference: https://github.com/onnx/onnx/blob/main/docs/OnnxBackendTest.md
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, type Graph, type TensorData } from '@efficientdl/ir';
import { readTensorProto } from '@efficientdl/onnx';
import { readFileBytes } from './io.js';

export interface Dataset {
  /** e.g. 'test_data_set_0'. */
  name: string;
  inputs: Record<string, TensorData>;
  outputs: Record<string, TensorData>;
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Every folder at or below `dir` holding a model.onnx, depth first, sorted by name. */
export function listModelFolders(dir: string): string[] {
  if (!isDirectory(dir)) throw new ConfigError(`'${dir}' is not a directory`, { file: dir });
  const found: string[] = [];
  const visit = (folder: string, depth: number) => {
    const entries = readdirSync(folder).sort();
    if (entries.includes('model.onnx')) found.push(folder);
    if (depth >= 32) return;
    for (const entry of entries) {
      const path = join(folder, entry);
      if (!entry.startsWith('test_data_set_') && isDirectory(path)) visit(path, depth + 1);
    }
  };
  visit(dir, 0);
  return found;
}

/** The test_data_set_N folders of a case, in numeric order. */
export function listDatasetFolders(folder: string): string[] {
  return readdirSync(folder)
    .filter((entry) => /^test_data_set_\d+$/.test(entry) && isDirectory(join(folder, entry)))
    .sort((a, b) => Number(a.slice(14)) - Number(b.slice(14)));
}

function numberedFiles(folder: string, prefix: 'input' | 'output'): string[] {
  const pattern = new RegExp(`^${prefix}_(\\d+)\\.pb$`);
  return readdirSync(folder)
    .map((entry) => ({ entry, index: Number(pattern.exec(entry)?.[1] ?? Number.NaN) }))
    .filter((item) => !Number.isNaN(item.index))
    .sort((a, b) => a.index - b.index)
    .map((item) => join(folder, item.entry));
}

async function readTensors(files: readonly string[], names: readonly string[]): Promise<Record<string, TensorData>> {
  const result: Record<string, TensorData> = {};
  for (const [index, file] of files.entries()) {
    const { name, tensor } = readTensorProto(await readFileBytes(file, 'tensor file'), file);
    result[name || (names[index] ?? `#${index}`)] = tensor;
  }
  return result;
}

/** Reads one data set folder of a case against its imported graph. */
export async function readDataset(caseFolder: string, datasetName: string, graph: Graph): Promise<Dataset> {
  const folder = join(caseFolder, datasetName);
  return {
    name: datasetName,
    inputs: await readTensors(numberedFiles(folder, 'input'), graph.inputs.map((value) => value.name)),
    outputs: await readTensors(numberedFiles(folder, 'output'), graph.outputs.map((value) => value.name)),
  };
}
