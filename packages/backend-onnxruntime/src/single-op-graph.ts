// One IR node as a standalone Graph (inputs as graph inputs with their static shapes, outputs
// typed by the op's own inference) — what the per-op path exports and hands to onnxruntime.
import { type BackendNode, type Graph, type TensorData, type Value, createGraph, getOpSchema, inferOutputs } from '@efficientdl/ir';

export interface SingleOpGraph {
  graph: Graph;
  /** Graph input name → the data fed to it. */
  feeds: Record<string, TensorData>;
  outputNames: string[];
}

/** Builds the graph `node(inputs) → outputCount outputs`; '' marks omitted optional inputs. */
export function singleOpGraph(node: BackendNode, inputs: readonly (TensorData | undefined)[], outputCount: number): SingleOpGraph {
  const schema = getOpSchema(node.op, node.domain, node.name);
  const inferred = inferOutputs(schema, {
    op: node.op,
    node: node.name,
    inputs: inputs.map((input) => (input ? { dtype: input.dtype, shape: input.shape } : undefined)),
    constants: inputs,
    attrs: node.attrs,
    outputCount,
  });
  let present = inputs.length;
  while (present > 0 && inputs[present - 1] === undefined) present--;
  const feeds: Record<string, TensorData> = {};
  const graphInputs: Value[] = [];
  const inputNames = inputs.slice(0, present).map((input, index) => {
    if (!input) return '';
    const name = `input_${index}`;
    feeds[name] = input;
    graphInputs.push({ name, dtype: input.dtype, shape: input.shape });
    return name;
  });
  const outputs: Value[] = inferred.slice(0, outputCount).map((info, index) => ({
    name: `output_${index}`,
    dtype: info.dtype,
    // Dims our inference leaves symbolic stay symbolic; ORT checks the static ones.
    shape: info.shape.map((dim, axis) => (typeof dim === 'number' ? dim : `output_${index}_dim_${axis}`)),
  }));
  const graph = createGraph({
    name: `${node.op}_single_op`,
    nodes: [{ name: node.name || node.op, op: node.op, domain: node.domain, inputs: inputNames, outputs: outputs.map((value) => value.name), attrs: node.attrs }],
    inputs: graphInputs,
    outputs,
  });
  return { graph, feeds, outputNames: outputs.map((value) => value.name) };
}
