// Reads and imports an ONNX model file, with the file name in every error. For `inspect`, also
// reads the file's own header (IR version, producer, opset imports) before the importer
// upgrades old-opset nodes to the modern opset.
import type { Graph } from '@efficientdl/ir';
import { decodeModelProto, importOnnx } from '@efficientdl/onnx';
import { readFileBytes } from './io.js';

export interface ModelHeader {
  irVersion: number;
  producer: string;
  /** Opset per domain as written in the file ('' = ai.onnx). */
  opsets: Record<string, number>;
}

export async function loadModel(path: string): Promise<Graph> {
  const bytes = await readFileBytes(path, 'model');
  return importOnnx(bytes, { file: path });
}

function toNumber(value: unknown): number {
  return Number(String(value));
}

/** The imported graph plus the header of the file it came from. */
export async function loadModelWithHeader(path: string): Promise<{ graph: Graph; header: ModelHeader }> {
  const bytes = await readFileBytes(path, 'model');
  const graph = importOnnx(bytes, { file: path });
  const model = decodeModelProto(bytes, path);
  const opsets: Record<string, number> = {};
  for (const entry of model.opset_import) opsets[entry.domain === 'ai.onnx' ? '' : entry.domain] = toNumber(entry.version);
  const producer = [model.producer_name, (model as { producer_version?: string }).producer_version].filter(Boolean).join(' ');
  return { graph, header: { irVersion: toNumber(model.ir_version), producer, opsets } };
}
