// A graph compiled for onnxruntime: the exported model's shared session plus feed checking and
// TensorData ↔ ort.Tensor conversion around session.run.
import { type CompiledGraph, ConfigError, DTypeError, type Graph, ShapeError, type TensorData, formatShape } from '@efficientdl/ir';
import type * as ort from 'onnxruntime-node';
import { errorMessage, translateOrtError } from './ort-errors.js';
import { fromOrtTensor, toOrtTensor } from './tensor-conversion.js';

/** Checks feeds against the graph's declared inputs (names, dtypes, static dims). */
export function checkFeeds(graph: Graph, feeds: Readonly<Record<string, TensorData>>): void {
  for (const input of graph.inputs) {
    const feed = feeds[input.name];
    if (!feed) {
      throw new ConfigError(`graph '${graph.name}' needs input '${input.name}' (${input.dtype}${formatShape(input.shape)}); feeds have ${Object.keys(feeds).join(', ') || 'nothing'}`, {
        value: input.name,
      });
    }
    if (feed.dtype !== input.dtype) {
      throw new DTypeError(`graph '${graph.name}' input '${input.name}' is ${input.dtype}, fed ${feed.dtype}`, { value: input.name });
    }
    const agrees = feed.shape.length === input.shape.length && input.shape.every((dim, axis) => typeof dim !== 'number' || dim === feed.shape[axis]);
    if (!agrees) {
      throw new ShapeError(`graph '${graph.name}' input '${input.name}' has shape ${formatShape(input.shape)}, fed ${formatShape(feed.shape)}`, {
        value: input.name,
      });
    }
  }
}

export class OrtCompiledGraph implements CompiledGraph {
  private disposed = false;

  constructor(
    private readonly graph: Graph,
    private readonly session: ort.InferenceSession,
    private readonly release: () => void,
  ) {}

  async run(feeds: Readonly<Record<string, TensorData>>): Promise<Record<string, TensorData>> {
    if (this.disposed) throw new ConfigError(`compiled graph '${this.graph.name}' was disposed`, { graph: this.graph.name });
    checkFeeds(this.graph, feeds);
    const ortFeeds: Record<string, ort.Tensor> = {};
    for (const input of this.graph.inputs) ortFeeds[input.name] = toOrtTensor(feeds[input.name] as TensorData, input.name);
    let results: ort.InferenceSession.ReturnType;
    try {
      results = await this.session.run(ortFeeds);
    } catch (error) {
      throw translateOrtError({ stage: 'run', message: errorMessage(error), subject: `graph '${this.graph.name}'` });
    }
    const outputs: Record<string, TensorData> = {};
    for (const output of this.graph.outputs) {
      const tensor = results[output.name];
      if (!tensor) throw new ConfigError(`onnxruntime returned no output '${output.name}' for graph '${this.graph.name}'`, { value: output.name });
      outputs[output.name] = fromOrtTensor(tensor, output.name);
    }
    return outputs;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.release();
  }
}
