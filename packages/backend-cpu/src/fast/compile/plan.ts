// The planner of compiled CPU graphs: folds inference BatchNormalization into the convolutions
// (ir's foldBatchNorm), then turns the nodes, in topological order, into steps. Conv [+ Relu |
// Clip] [+ 2 × 2 MaxPool] chains with constant weights become one ConvStep, Gemm / MatMul with a
// constant matrix a GemmStep, Flatten / constant Reshape a ViewStep (WebAssembly steps only when
// the kernels are available; a scalar Sub / Add → Div right before a Conv joins its step); every
// other node a KernelStep on the backend's per-op kernel.
// A ConvStep whose output only another ConvStep reads writes into that step's padded input.
import {
  type Backend,
  type Graph,
  type Node,
  type TensorData,
  UnsupportedOpError,
  consumers,
  foldBatchNorm,
  producers,
  getOpSchema,
  resolveAttributes,
  toNumberArray,
  topologicalOrder,
} from '@efficientdl/ir';
import type { ConvEpilogue } from '../../wasm/wasm-conv.js';
import { ConvStep } from './conv-step.js';
import { GemmStep } from './gemm-step.js';
import { KernelStep } from './kernel-step.js';
import type { Step } from './step.js';
import { ViewStep } from './view-step.js';

interface PlanContext {
  readonly graph: Graph;
  readonly backend: Backend<TensorData>;
  readonly consumersOf: Map<string, Node[]>;
  readonly producerOf: Map<string, Node>;
  readonly outputs: Set<string>;
  readonly wasm: boolean;
}

export interface Plan {
  /** The graph the steps run (BatchNormalization folded). */
  readonly graph: Graph;
  readonly steps: readonly Step[];
}

export function planGraph(graph: Graph, backend: Backend<TensorData>, options: { wasm: boolean }): Plan {
  const folded = foldBatchNorm(graph);
  const context: PlanContext = {
    graph: folded,
    backend,
    consumersOf: consumers(folded),
    producerOf: producers(folded),
    outputs: new Set(folded.outputs.map((value) => value.name)),
    wasm: options.wasm,
  };
  const steps: Step[] = [];
  const fused = new Set<Node>();
  const preludes = new Map<Node, Prelude>();
  // scalar Sub / Div before a Conv run inside its step: claim them before the walk reaches them
  for (const node of context.wasm ? folded.nodes : []) {
    const prelude = node.op === 'Conv' && node.domain === '' ? preludeOf(context, node) : undefined;
    if (!prelude) continue;
    preludes.set(node, prelude);
    for (const member of prelude.nodes) fused.add(member);
  }
  for (const node of topologicalOrder(folded)) {
    if (fused.has(node)) continue;
    const step = (context.wasm ? fusedStep(context, node, fused, preludes.get(node)) : undefined) ?? kernelStep(context, node);
    steps.push(step);
  }
  linkConvChains(context, steps);
  return { graph: folded, steps };
}

function kernelStep(context: PlanContext, node: Node): KernelStep {
  const schema = getOpSchema(node.op, node.domain, node.name);
  const attrs = resolveAttributes(schema, node.attrs, node.name);
  if (!context.backend.supports(node.op, [], node.domain)) {
    throw new UnsupportedOpError(`backend '${context.backend.name}' cannot compile graph '${context.graph.name}': no kernel for ${node.op} (node '${node.name}')`, {
      op: node.op,
      node: node.name,
      backend: context.backend.name,
    });
  }
  return new KernelStep(node, { op: node.op, domain: node.domain, name: node.name, attrs }, context.backend);
}

function fusedStep(context: PlanContext, node: Node, fused: Set<Node>, prelude: Prelude | undefined): Step | undefined {
  if (node.domain !== '') return undefined;
  if (node.op === 'Conv') return convStep(context, node, fused, prelude);
  if (node.op === 'Gemm' || node.op === 'MatMul') return gemmStep(context, node);
  if (node.op === 'Flatten' || node.op === 'Reshape') return viewStep(context, node);
  return undefined;
}

/** A float32 initializer, or undefined. */
function constantFloat(context: PlanContext, name: string | undefined): TensorData | undefined {
  const tensor = name ? context.graph.initializers.get(name) : undefined;
  return tensor?.dtype === 'float32' ? tensor : undefined;
}

/** The node that alone reads `value` (which must not be a graph output). */
function soleConsumer(context: PlanContext, value: string): Node | undefined {
  const readers = context.consumersOf.get(value) ?? [];
  return readers.length === 1 && !context.outputs.has(value) ? readers[0] : undefined;
}

function attrsOf(node: Node) {
  return resolveAttributes(getOpSchema(node.op, node.domain, node.name), node.attrs, node.name);
}

/** Scalar Sub / Add then Div (either alone) whose result only the conv reads: (x − sub) / div. */
interface Prelude {
  readonly nodes: readonly Node[];
  readonly input: string;
  readonly affine: { readonly sub: number; readonly div: number };
}

/** The scalar constant operand (input 1) of an elementwise node, if it cannot change the shape. */
function scalarOperand(context: PlanContext, node: Node, maxRank: number): number | undefined {
  const constant = constantFloat(context, node.inputs[1]);
  if (!constant || constant.data.length !== 1 || constant.shape.length > maxRank || node.domain !== '') return undefined;
  return toNumberArray(constant)[0];
}

function preludeOf(context: PlanContext, conv: Node): Prelude | undefined {
  const weights = constantFloat(context, conv.inputs[1]);
  const rank = weights?.shape.length ?? 0;
  const producerOfInput = (node: Node): Node | undefined => {
    const value = node.inputs[0] as string;
    const producer = context.producerOf.get(value);
    return producer && soleConsumer(context, producer.outputs[0] as string) === node && producer.outputs.length === 1 ? producer : undefined;
  };
  const nodes: Node[] = [];
  let sub = 0;
  let div = 1;
  let current = producerOfInput(conv);
  if (current?.op === 'Div') {
    const value = scalarOperand(context, current, rank);
    if (value === undefined) return undefined;
    div = value;
    nodes.unshift(current);
    current = producerOfInput(current);
  }
  if (current?.op === 'Sub' || current?.op === 'Add') {
    const value = scalarOperand(context, current, rank);
    if (value !== undefined) {
      sub = current.op === 'Sub' ? value : -value;
      nodes.unshift(current);
    }
  }
  const first = nodes[0];
  return first ? { nodes, input: first.inputs[0] as string, affine: { sub, div } } : undefined;
}

function convStep(context: PlanContext, node: Node, fused: Set<Node>, prelude: Prelude | undefined): Step | undefined {
  const [convInput, weightName, biasName] = node.inputs;
  const input = prelude?.input ?? convInput;
  const weights = constantFloat(context, weightName);
  const bias = biasName ? constantFloat(context, biasName) : undefined;
  if (!input || !weights || (weights.shape.length !== 4 && weights.shape.length !== 3) || (biasName && !bias)) return undefined;
  const chain = [node];
  let epilogue: ConvEpilogue = {};
  let last = node;
  const activationNode = soleConsumer(context, node.outputs[0] as string);
  const activation = activationNode ? activationOf(context, activationNode) : undefined;
  if (activationNode && activation) {
    chain.push(activationNode);
    epilogue = { activation };
    last = activationNode;
  }
  const poolNode = weights.shape.length === 4 ? soleConsumer(context, last.outputs[0] as string) : undefined;
  if (poolNode && isFusablePool(poolNode)) {
    chain.push(poolNode);
    epilogue = { ...epilogue, pool: true };
    last = poolNode;
  }
  for (const member of chain) fused.add(member);
  return new ConvStep({
    input, output: last.outputs[0] as string, weights, bias, attrs: attrsOf(node), nodeName: node.name, epilogue, affine: prelude?.affine,
    fallback: [...(prelude?.nodes ?? []), ...chain].map((member) => kernelStep(context, member)),
  });
}

function activationOf(context: PlanContext, node: Node): ConvEpilogue['activation'] | undefined {
  if (node.domain !== '') return undefined;
  if (node.op === 'Relu') return 'relu';
  if (node.op !== 'Clip') return undefined;
  const [, minName, maxName] = node.inputs;
  const bound = (name: string | undefined, fallback: number): number | undefined => {
    if (!name) return fallback;
    const tensor = constantFloat(context, name);
    return tensor && tensor.data.length === 1 ? (toNumberArray(tensor)[0] as number) : undefined;
  };
  const clipMin = bound(minName, Number.NEGATIVE_INFINITY);
  const clipMax = bound(maxName, Number.POSITIVE_INFINITY);
  return clipMin === undefined || clipMax === undefined ? undefined : { clipMin, clipMax };
}

/** MaxPool 2 × 2, stride 2, no padding / dilation, floor mode, no Indices output. */
function isFusablePool(node: Node): boolean {
  if (node.op !== 'MaxPool' || node.domain !== '' || (node.outputs[1] ?? '') !== '') return false;
  const attrs = attrsOf(node);
  const same = (value: unknown, expected: readonly number[]) => JSON.stringify(value) === JSON.stringify(expected);
  const pads = attrs.pads as readonly number[] | undefined;
  const dilations = attrs.dilations as readonly number[] | undefined;
  return (
    same(attrs.kernel_shape, [2, 2]) && same(attrs.strides, [2, 2]) &&
    (pads === undefined || pads.every((pad) => pad === 0)) &&
    (dilations === undefined || dilations.every((dilation) => dilation === 1)) &&
    (attrs.ceil_mode ?? 0) === 0 && (attrs.auto_pad ?? 'NOTSET') === 'NOTSET' && (attrs.storage_order ?? 0) === 0
  );
}

function gemmStep(context: PlanContext, node: Node): Step | undefined {
  const [input, weightName, biasName] = node.inputs;
  const weights = constantFloat(context, weightName);
  if (!input || !weights || weights.shape.length !== 2) return undefined;
  const isGemm = node.op === 'Gemm';
  const attrs = isGemm ? attrsOf(node) : {};
  if (isGemm && attrs.transA === 1) return undefined;
  const transB = isGemm && attrs.transB === 1;
  const n = weights.shape[transB ? 0 : 1] as number;
  let bias: Float32Array | undefined;
  if (isGemm && biasName) {
    const c = constantFloat(context, biasName);
    const rowShape = c && (c.shape.length === 1 || (c.shape.length === 2 && c.shape[0] === 1)) && c.shape[c.shape.length - 1] === n;
    if (!c || !rowShape) return undefined;
    const beta = (attrs.beta as number | undefined) ?? 1;
    bias = Float32Array.from(c.data as Float32Array, (value) => beta * value);
  }
  return new GemmStep({
    input, output: node.outputs[0] as string, weights, transB, alpha: isGemm ? ((attrs.alpha as number | undefined) ?? 1) : 1,
    bias, flattenLeading: !isGemm, fallback: kernelStep(context, node),
  });
}

function viewStep(context: PlanContext, node: Node): Step | undefined {
  const [input, shapeName] = node.inputs;
  if (!input) return undefined;
  const fallback = kernelStep(context, node);
  if (node.op === 'Flatten') return new ViewStep({ input, output: node.outputs[0] as string, rule: { kind: 'flatten', axis: attrsOf(node).axis as number }, fallback });
  const target = shapeName ? context.graph.initializers.get(shapeName) : undefined;
  if (!target || target.dtype !== 'int64' || (attrsOf(node).allowzero ?? 0) !== 0) return undefined;
  return new ViewStep({ input, output: node.outputs[0] as string, rule: { kind: 'reshape', target: Array.from(toNumberArray(target)) }, fallback });
}

/** producer.consumer = the ConvStep that alone reads a ConvStep's output. */
function linkConvChains(context: PlanContext, steps: readonly Step[]): void {
  const convByInput = new Map<string, ConvStep[]>();
  for (const step of steps) {
    if (step instanceof ConvStep) convByInput.set(step.inputs[0] as string, [...(convByInput.get(step.inputs[0] as string) ?? []), step]);
  }
  for (const step of steps) {
    if (!(step instanceof ConvStep)) continue;
    const output = step.outputs[0] as string;
    const readers = context.consumersOf.get(output) ?? [];
    const convReaders = convByInput.get(output) ?? [];
    const reader = convReaders[0];
    if (readers.length === 1 && convReaders.length === 1 && !context.outputs.has(output) && !reader?.hasAffine) step.consumer = reader;
  }
}
