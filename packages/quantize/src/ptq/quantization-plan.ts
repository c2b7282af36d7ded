// Which values of a float graph static quantization touches, decided before calibration:
//   - compute nodes: Conv, Gemm and MatMul of the default domain; a float initializer in input 1
//     is their weight (quantized per channel), any other float input is an activation;
//   - observed activations: every non-constant float input of a compute node and its output —
//     after a ReLU that is the output's only consumer, which is then fused (removed: the
//     quantization clamp at the zero point does its work, as onnxruntime's QDQ quantizer does);
//   - shared activations: outputs of value-preserving layout / max ops (MaxPool, Flatten, Reshape,
//     …) whose input is quantized reuse that input's scale and zero point, so their integer
//     form needs no requantization.
import { type Graph, type Node, consumers, topologicalOrder } from '@efficientdl/ir';

export const COMPUTE_OPS: ReadonlySet<string> = new Set(['Conv', 'Gemm', 'MatMul']);

/** Ops whose output holds (a rearrangement or a max of) input values: they share the input's parameters. */
export const SHARED_PARAMETER_OPS: ReadonlySet<string> = new Set([
  'MaxPool',
  'Flatten',
  'Reshape',
  'Transpose',
  'Squeeze',
  'Unsqueeze',
  'Identity',
]);

export interface ComputeSite {
  readonly node: Node;
  /** Initializer name of the weight (input 1), when it is a float initializer. */
  readonly weight?: string;
  /** Initializer name of the bias (input 2 of Conv / Gemm), when it is a float initializer. */
  readonly bias?: string;
  /** The value the quantized output is taken from (the fused ReLU's output, else the node's). */
  readonly output: string;
  /** The ReLU folded into this node, if any. */
  readonly fusedRelu?: Node;
}

export interface QuantizationPlan {
  readonly sites: readonly ComputeSite[];
  /** Activations that get their own observer, in first-use order. */
  readonly observed: readonly string[];
  /** Activation → the observed activation whose parameters it reuses. */
  readonly shared: ReadonlyMap<string, string>;
  /** Observed activations produced by a fused ReLU (their range starts at 0). */
  readonly reluOutputs: ReadonlySet<string>;
}

export interface PlanOptions {
  /** Fuse ReLU into the preceding compute node (needs asymmetric activations). Default true. */
  fuseRelu?: boolean;
}

function isFloatInitializer(graph: Graph, name: string | undefined): name is string {
  const tensor = name ? graph.initializers.get(name) : undefined;
  return tensor !== undefined && (tensor.dtype === 'float32' || tensor.dtype === 'float64');
}

function computeSite(graph: Graph, node: Node, consumersOf: Map<string, Node[]>, fuseRelu: boolean): ComputeSite {
  const output = node.outputs[0] as string;
  const readers = consumersOf.get(output) ?? [];
  const isGraphOutput = graph.outputs.some((value) => value.name === output);
  const relu = readers.length === 1 && readers[0]?.op === 'Relu' && readers[0].domain === '' && !isGraphOutput ? readers[0] : undefined;
  const fused = fuseRelu && relu ? relu : undefined;
  const weight = isFloatInitializer(graph, node.inputs[1]) ? node.inputs[1] : undefined;
  const bias = node.op !== 'MatMul' && isFloatInitializer(graph, node.inputs[2]) ? node.inputs[2] : undefined;
  return { node, weight, bias, output: fused ? (fused.outputs[0] as string) : output, fusedRelu: fused };
}

/** Plans static quantization of `graph` (BatchNorm should already be folded). */
export function planQuantization(graph: Graph, options: PlanOptions = {}): QuantizationPlan {
  const consumersOf = consumers(graph);
  const order = topologicalOrder(graph);
  const sites = order
    .filter((node) => node.domain === '' && COMPUTE_OPS.has(node.op))
    .map((node) => computeSite(graph, node, consumersOf, options.fuseRelu ?? true));
  const observed: string[] = [];
  const add = (name: string | undefined) => {
    if (name && !graph.initializers.has(name) && !observed.includes(name)) observed.push(name);
  };
  for (const site of sites) {
    add(site.node.inputs[0]);
    if (!site.weight) add(site.node.inputs[1]);
    add(site.output);
  }
  // shared parameters flow forward through value-preserving ops, replacing their own observers
  const shared = new Map<string, string>();
  const sourceOf = (name: string) => shared.get(name) ?? (observed.includes(name) ? name : undefined);
  for (const node of order) {
    if (node.domain !== '' || !SHARED_PARAMETER_OPS.has(node.op)) continue;
    const source = sourceOf(node.inputs[0] ?? '');
    const output = node.outputs[0];
    if (!source || !output || graph.outputs.some((value) => value.name === output)) continue;
    shared.set(output, source);
    const index = observed.indexOf(output);
    if (index >= 0) observed.splice(index, 1);
  }
  const reluOutputs = new Set(sites.filter((site) => site.fusedRelu).map((site) => site.output));
  return { sites, observed, shared, reluOutputs };
}
