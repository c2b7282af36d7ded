// exportOnnx: IR Graph → ModelProto bytes at opset 21 (default) or 17. Initializers are written
// as raw_data, values with symbolic dims as dim_param, ai.efficientdl ops under their own domain
// with an opset import. Opset 17 export downgrades nodes whose signature changed after 17.
import { ConfigError, type Graph, type Node, type TensorData, type Value, getOpSchema, hasOp, isPackedDType } from '@efficientdl/ir';
import { encodeAttributes } from './attributes.js';
import { onnxType } from './onnx-schema.js';
import { downgradeToOpset17 } from './opset-downgrade.js';
import { encodeTensorProto } from './tensor-proto.js';
import { encodeValueInfo } from './value-info.js';

export interface ExportOnnxOptions {
  /** Default-domain opset to write (default 21). */
  opset?: 17 | 21;
  producerName?: string;
  producerVersion?: string;
}

/** IR version that goes with each opset (ONNX's versioning table). */
const IR_VERSION_FOR_OPSET: Readonly<Record<number, number>> = { 17: 8, 21: 10 };

function encodeNode(node: Node): Record<string, unknown> {
  const specs = hasOp(node.op, node.domain) ? getOpSchema(node.op, node.domain, node.name).attrs : undefined;
  return {
    name: node.name,
    op_type: node.op,
    domain: node.domain,
    input: [...node.inputs],
    output: [...node.outputs],
    attribute: encodeAttributes(node.attrs, specs),
  };
}

/**
 * Split-18 needs the `split` input or a `num_outputs` attribute (ORT rejects a node with
 * neither); the IR lets both be absent (equal parts, one per output), so the count is written out.
 */
function withSplitCount(node: Node): Node {
  if (node.op !== 'Split' || node.domain !== '' || (node.inputs[1] ?? '') !== '' || node.attrs.num_outputs !== undefined) return node;
  return { ...node, attrs: { ...node.attrs, num_outputs: node.outputs.length } };
}

function checkDTypes(graph: Graph, initializers: ReadonlyMap<string, TensorData>, opset: number): void {
  if (opset >= 21) return;
  const values: { name: string; dtype: string }[] = [...graph.inputs, ...graph.outputs, ...graph.valueInfo.values()];
  for (const [name, tensor] of initializers) values.push({ name, dtype: tensor.dtype });
  const packed = values.find((value) => isPackedDType(value.dtype as Value['dtype']));
  if (packed) {
    throw new ConfigError(`cannot export '${packed.name}' (${packed.dtype}) at opset ${opset}: int4/uint4 need opset 21`, { value: packed.name });
  }
}

function opsetImports(graph: Graph, nodes: readonly Node[], opset: number): { domain: string; version: number }[] {
  const imports = [{ domain: '', version: opset }];
  const domains = new Set(nodes.map((node) => node.domain).filter((domain) => domain !== ''));
  for (const domain of [...domains].sort()) imports.push({ domain, version: graph.opsets[domain] ?? 1 });
  return imports;
}

/** Serializes `graph` as an ONNX model. */
export function exportOnnx(graph: Graph, options: ExportOnnxOptions = {}): Uint8Array {
  const opset = options.opset ?? 21;
  if (opset !== 17 && opset !== 21) throw new ConfigError(`exportOnnx: opset must be 17 or 21, got ${opset}`, { opset });
  const { nodes, initializers } = opset === 17 ? downgradeToOpset17(graph) : { nodes: graph.nodes.map(withSplitCount), initializers: graph.initializers };
  checkDTypes(graph, initializers, opset);
  const outputNames = new Set(graph.outputs.map((value) => value.name));
  const model = {
    ir_version: IR_VERSION_FOR_OPSET[opset],
    opset_import: opsetImports(graph, nodes, opset),
    producer_name: options.producerName ?? 'efficientdl',
    producer_version: options.producerVersion ?? '0.1.0',
    graph: {
      name: graph.name,
      node: nodes.map(encodeNode),
      initializer: [...initializers].map(([name, tensor]) => encodeTensorProto(name, tensor)),
      input: graph.inputs.map(encodeValueInfo),
      output: graph.outputs.map(encodeValueInfo),
      value_info: [...graph.valueInfo.values()].filter((value) => !outputNames.has(value.name)).map(encodeValueInfo),
    },
  };
  return onnxType('ModelProto').encode(model).finish();
}
