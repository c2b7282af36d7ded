// Tensor files on disk: .pb (a serialized ONNX TensorProto, as in ONNX test data sets) and .npy
// (NumPy), chosen by extension.
import { ConfigError, type TensorData } from '@efficientdl/ir';
import { readTensorProto, writeTensorProto } from '@efficientdl/onnx';
import { readFileBytes } from './io.js';
import { parseNpy, serializeNpy } from './npy.js';

export type TensorFileFormat = 'pb' | 'npy';

export interface TensorFile {
  /** The name stored in a .pb file ('' when unnamed; always '' for .npy). */
  name: string;
  tensor: TensorData;
}

function formatOf(path: string): TensorFileFormat {
  const lower = path.toLowerCase();
  if (lower.endsWith('.pb')) return 'pb';
  if (lower.endsWith('.npy')) return 'npy';
  throw new ConfigError(`tensor file '${path}': unknown extension (expected .pb for TensorProto or .npy for NumPy)`, { file: path });
}

/** Reads a .pb or .npy tensor file. */
export async function readTensorFile(path: string): Promise<TensorFile> {
  const format = formatOf(path);
  const bytes = await readFileBytes(path, 'tensor file');
  if (format === 'npy') return { name: '', tensor: parseNpy(bytes, path) };
  return readTensorProto(bytes, path);
}

/** A file name for a value name: anything outside [A-Za-z0-9._-] becomes '_'. */
export function safeFileName(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_');
  return safe === '' ? 'output' : safe;
}

/** Writes `tensor` named `name` into `dir` as <name>.pb or <name>.npy; returns the path. */
export async function writeTensorFile(options: { dir: string; name: string; tensor: TensorData; format: TensorFileFormat }): Promise<string> {
  const { mkdir, writeFile } = await import('node:fs/promises');
  const { join } = await import('node:path');
  const bytes = options.format === 'npy' ? serializeNpy(options.tensor, options.name) : writeTensorProto(options.name, options.tensor);
  await mkdir(options.dir, { recursive: true });
  const path = join(options.dir, `${safeFileName(options.name)}.${options.format}`);
  await writeFile(path, bytes);
  return path;
}
