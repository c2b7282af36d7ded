// toSparseExecution(graph, {format}): the graph pass that makes sparsity pay. Every 2-D Conv and
// every Gemm (transA = 0) whose weight is a float32 initializer sparse enough for the format is
// rewritten to the ai.efficientdl op SparseConv / SparseGemm with the weight packed as CSR
// (values, int32 indices, int32 row_pointers) or N:M (values, uint8 positions); Gemm's alpha,
// beta and transB are folded into the packed weight and bias. Other nodes are untouched; the
// dense weight initializer is dropped when nothing else reads it. The result runs on backend-cpu
// (sparse kernels) and exports to ONNX under domain ai.efficientdl; onnxruntime has no kernels
// for these ops, so the dense graph is the one to give onnxruntime.
import {
  ConfigError,
  EFFICIENTDL_DOMAIN,
  type Graph,
  type Node,
  type TensorData,
  consumers,
  denseToCsr,
  denseToNm,
  isNmSparse,
  tensorData,
  withGraph,
} from '@efficientdl/ir';
import { countZeros } from './sparsity-report.js';

export interface SparseExecutionOptions {
  format: 'csr' | 'nm';
  /** N:M pattern (format 'nm'; default 2:4). */
  n?: number;
  m?: number;
  /** CSR: rewrite weights with at least this fraction of zeros (default 0.5). */
  minSparsity?: number;
}

interface RewriteState {
  readonly graph: Graph;
  readonly options: Required<SparseExecutionOptions>;
  readonly initializers: Map<string, TensorData>;
  readonly readers: Map<string, Node[]>;
}

function checkOptions(options: SparseExecutionOptions): Required<SparseExecutionOptions> {
  const resolved = { n: 2, m: 4, minSparsity: 0.5, ...options };
  if (resolved.format !== 'csr' && resolved.format !== 'nm') throw new ConfigError(`toSparseExecution: format must be 'csr' or 'nm', got '${String(resolved.format)}'`);
  if (!(Number.isInteger(resolved.n) && Number.isInteger(resolved.m) && resolved.n >= 1 && resolved.n < resolved.m && resolved.m <= 255)) {
    throw new ConfigError(`toSparseExecution: n:m = ${resolved.n}:${resolved.m} must satisfy 1 <= n < m <= 255`);
  }
  if (!(resolved.minSparsity >= 0 && resolved.minSparsity <= 1)) throw new ConfigError(`toSparseExecution: minSparsity must be in [0, 1], got ${resolved.minSparsity}`);
  return resolved;
}

function freshName(state: RewriteState, base: string): string {
  let name = base;
  for (let index = 1; state.initializers.has(name) || state.readers.has(name); index++) name = `${base}_${index}`;
  return name;
}

/** Packs `weight` (rows = W[0]) as the format's initializers; undefined when not sparse enough. */
function packWeight(state: RewriteState, weight: TensorData, baseName: string): { inputs: string[]; attrs: Record<string, string | number | number[]> } | undefined {
  const { format, n, m, minSparsity } = state.options;
  const attrs = { format, weight_shape: [...weight.shape] };
  if (format === 'csr') {
    if (countZeros(weight.data as Float32Array) < minSparsity * weight.data.length) return undefined;
    const csr = denseToCsr(weight);
    const names = ['values', 'indices', 'row_pointers'].map((suffix) => freshName(state, `${baseName}.${suffix}`));
    [csr.values, csr.indices, csr.rowPointers].forEach((tensor, index) => state.initializers.set(names[index] as string, tensor));
    return { inputs: names, attrs };
  }
  if (!isNmSparse(weight, { n, m })) return undefined;
  const nm = denseToNm(weight, { n, m });
  const names = ['values', 'indices'].map((suffix) => freshName(state, `${baseName}.${suffix}`));
  state.initializers.set(names[0] as string, nm.values);
  state.initializers.set(names[1] as string, nm.indices);
  return { inputs: [...names, ''], attrs: { ...attrs, n, m } };
}

function float32Initializer(state: RewriteState, name: string | undefined): TensorData | undefined {
  const tensor = name ? state.initializers.get(name) : undefined;
  return tensor?.dtype === 'float32' ? tensor : undefined;
}

function rewriteConv(state: RewriteState, node: Node): Node | undefined {
  const weight = float32Initializer(state, node.inputs[1]);
  if (!weight || weight.shape.length !== 4) return undefined;
  const packed = packWeight(state, weight, node.inputs[1] as string);
  if (!packed) return undefined;
  return { ...node, op: 'SparseConv', domain: EFFICIENTDL_DOMAIN, inputs: [node.inputs[0] as string, ...packed.inputs, node.inputs[2] ?? ''], attrs: { ...node.attrs, ...packed.attrs } };
}

/** Gemm's weight as (N, K) with alpha folded in. */
function gemmWeight(weight: TensorData, transB: boolean, alpha: number): TensorData {
  const [first, second] = weight.shape as [number, number];
  const [rows, cols] = transB ? [first, second] : [second, first];
  const source = weight.data as Float32Array;
  const values = new Float32Array(rows * cols);
  for (let row = 0; row < rows; row++) {
    for (let col = 0; col < cols; col++) values[row * cols + col] = alpha * (source[transB ? row * cols + col : col * rows + row] as number);
  }
  return tensorData('float32', [rows, cols], values);
}

/** The bias input of the SparseGemm: C as is, or beta · C (N) as a new initializer; null = cannot. */
function gemmBias(state: RewriteState, node: Node, outputs: number): string | null {
  const name = node.inputs[2] ?? '';
  const beta = typeof node.attrs.beta === 'number' ? node.attrs.beta : 1;
  if (name === '' || beta === 0) return '';
  const bias = float32Initializer(state, name);
  if (!bias) return beta === 1 ? name : null; // a computed C must already be (N)
  const size = bias.data.length;
  if (size !== outputs && size !== 1) return null;
  if (beta === 1 && bias.shape.length === 1 && size === outputs) return name;
  const values = Float32Array.from({ length: outputs }, (_, index) => beta * ((bias.data as Float32Array)[size === 1 ? 0 : index] as number));
  const folded = freshName(state, `${name}.folded`);
  state.initializers.set(folded, tensorData('float32', [outputs], values));
  return folded;
}

function rewriteGemm(state: RewriteState, node: Node): Node | undefined {
  const weight = float32Initializer(state, node.inputs[1]);
  if (!weight || weight.shape.length !== 2 || node.attrs.transA === 1) return undefined;
  const alpha = typeof node.attrs.alpha === 'number' ? node.attrs.alpha : 1;
  const matrix = gemmWeight(weight, node.attrs.transB === 1, alpha);
  const bias = gemmBias(state, node, matrix.shape[0] as number);
  if (bias === null) return undefined;
  const packed = packWeight(state, matrix, node.inputs[1] as string);
  if (!packed) return undefined;
  return { name: node.name, op: 'SparseGemm', domain: EFFICIENTDL_DOMAIN, inputs: [node.inputs[0] as string, ...packed.inputs, bias], outputs: node.outputs, attrs: packed.attrs };
}

/** Rewrites sparse Conv / Gemm nodes to SparseConv / SparseGemm (see the file header). */
export function toSparseExecution(graph: Graph, options: SparseExecutionOptions): Graph {
  const resolved = checkOptions(options);
  const state: RewriteState = { graph, options: resolved, initializers: new Map(graph.initializers), readers: consumers(graph) };
  const nodes = graph.nodes.map((node) => {
    if (node.domain !== '') return node;
    const rewritten = node.op === 'Conv' ? rewriteConv(state, node) : node.op === 'Gemm' ? rewriteGemm(state, node) : undefined;
    return rewritten ?? node;
  });
  const stillRead = new Set(nodes.flatMap((node) => node.inputs));
  for (const output of graph.outputs) stillRead.add(output.name);
  const dropped = new Set<string>();
  for (const node of graph.nodes) {
    const weight = node.inputs[1] ?? '';
    if ((node.op === 'Conv' || node.op === 'Gemm') && weight !== '' && !stillRead.has(weight) && state.initializers.delete(weight)) dropped.add(weight);
  }
  // new initializers nothing reads (a folded bias of a Gemm left dense)
  for (const name of [...state.initializers.keys()]) if (!stillRead.has(name) && !graph.initializers.has(name)) state.initializers.delete(name);
  return withGraph(graph, { nodes, initializers: state.initializers, inputs: graph.inputs.filter((input) => !dropped.has(input.name)) });
}
