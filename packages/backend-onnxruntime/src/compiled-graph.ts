// A graph compiled for onnxruntime: the exported model's shared session plus feed checking and
// TensorData ↔ ort.Tensor conversion around session.run.
import {
  type CompiledGraph,
  ConfigError,
  DTypeError,
  type Graph,
  ShapeError,
  type TensorData,
  UnsupportedOpError,
  formatShape,
} from '@efficientdl/ir';
import type * as ort from 'onnxruntime-node';
import { errorMessage, translateOrtError } from './ort-errors.js';
import { ORT_DTYPES, fromOrtTensor, isTransferable, toOrtTensor } from './tensor-conversion.js';

/**
 * Refuses graphs whose inputs or outputs have a dtype onnxruntime-node cannot move (int4/uint4,
 * bfloat16): fetching an int4 output aborts the whole process (onnxruntime-node 1.30), so this
 * runs before the graph is exported or handed to ORT. Values inside the graph may use them.
 */
export function checkTransferable(graph: Graph): void {
  const ends = [...graph.inputs.map((value) => ({ value, role: 'input' as const })), ...graph.outputs.map((value) => ({ value, role: 'output' as const }))];
  const blocked = ends.find(({ value }) => !isTransferable(value.dtype));
  if (!blocked) return;
  const { value, role } = blocked;
  // the nodes that read (graph input) or write (graph output) the value
  const nodes = graph.nodes.filter((node) => (role === 'input' ? node.inputs : node.outputs).includes(value.name));
  const ops = nodes.map((node) => `${node.op} (node '${node.name}')`).join(', ') || 'no node';
  throw new UnsupportedOpError(
    `backend 'onnxruntime' cannot compile graph '${graph.name}': its ${role} '${value.name}' (${value.dtype}, ${role === 'input' ? 'read by' : 'written by'} ${ops}) has a dtype onnxruntime-node cannot pass to or from JavaScript (it moves only ${ORT_DTYPES.join(', ')})`,
    { backend: 'onnxruntime', graph: graph.name, value: value.name, dtype: value.dtype, op: nodes[0]?.op, node: nodes[0]?.name },
  );
}

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
    /** Refuses feeds that reach a known onnxruntime deviation from ONNX (ort-deviations.ts). */
    private readonly checkDeviations: (feeds: Readonly<Record<string, TensorData>>) => void = () => undefined,
  ) {}

  async run(feeds: Readonly<Record<string, TensorData>>): Promise<Record<string, TensorData>> {
    if (this.disposed) throw new ConfigError(`compiled graph '${this.graph.name}' was disposed`, { graph: this.graph.name });
    checkFeeds(this.graph, feeds);
    this.checkDeviations(feeds);
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
