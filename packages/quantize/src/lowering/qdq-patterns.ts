// Pattern helpers for lowering QDQ graphs: what feeds a value through a DequantizeLinear, and
// the single QuantizeLinear that reads a value, with their constant scales and zero points.
import { type Graph, type Node, type TensorData, consumers, fromNumbers, producers } from '@efficientdl/ir';

export interface GraphIndex {
  readonly graph: Graph;
  readonly producedBy: Map<string, Node>;
  readonly consumersOf: Map<string, Node[]>;
  readonly outputs: ReadonlySet<string>;
}

export function indexGraph(graph: Graph): GraphIndex {
  return { graph, producedBy: producers(graph), consumersOf: consumers(graph), outputs: new Set(graph.outputs.map((value) => value.name)) };
}

/** A DequantizeLinear (or the QuantizeLinear) with constant parameters: q / x, scale, zero point. */
export interface QuantizedSource {
  /** The integer value (DequantizeLinear input) or the float value (QuantizeLinear input). */
  readonly value: string;
  readonly scale: string;
  /** '' when the node has no zero point (then zeroPointData is a zero of the integer dtype). */
  readonly zeroPoint: string;
  readonly scaleData: TensorData;
  readonly zeroPointData: TensorData;
  readonly axis: number;
  readonly node: Node;
}

function parameters(index: GraphIndex, node: Node): QuantizedSource | undefined {
  const [value, scale] = node.inputs;
  const zeroPoint = node.inputs[2] ?? '';
  const scaleData = scale ? index.graph.initializers.get(scale) : undefined;
  const stored = zeroPoint ? index.graph.initializers.get(zeroPoint) : undefined;
  if (!value || !scale || !scaleData || (zeroPoint && !stored) || node.attrs.block_size) return undefined;
  // an omitted zero point is 0 (int32 is the only dtype whose DequantizeLinear input we need it for)
  const zeroPointData = stored ?? fromNumbers('int32', scaleData.shape, new Array(elementCount(scaleData)).fill(0));
  const axis = typeof node.attrs.axis === 'number' ? node.attrs.axis : 1;
  return { value, scale, zeroPoint, scaleData, zeroPointData, axis, node };
}

/** The DequantizeLinear producing `value`, if its scale and zero point are initializers. */
export function dequantizedFrom(index: GraphIndex, value: string | undefined): QuantizedSource | undefined {
  const node = value ? index.producedBy.get(value) : undefined;
  return node && node.op === 'DequantizeLinear' && node.domain === '' ? parameters(index, node) : undefined;
}

/** The QuantizeLinear that is the only reader of `value` (not a graph output), with constant parameters. */
export function soleQuantizer(index: GraphIndex, value: string | undefined): QuantizedSource | undefined {
  if (!value || index.outputs.has(value)) return undefined;
  const readers = index.consumersOf.get(value) ?? [];
  const node = readers.length === 1 ? readers[0] : undefined;
  return node && node.op === 'QuantizeLinear' && node.domain === '' ? parameters(index, node) : undefined;
}

export function elementCount(tensor: TensorData): number {
  return tensor.shape.reduce((total, dim) => total * dim, 1);
}

/** True when two (per-tensor) parameter pairs hold the same numbers. */
export function sameParameters(first: QuantizedSource, second: QuantizedSource): boolean {
  if (first.scale === second.scale && first.zeroPoint === second.zeroPoint) return true;
  if (elementCount(first.scaleData) !== 1 || elementCount(second.scaleData) !== 1) return false;
  return (
    first.scaleData.data[0] === second.scaleData.data[0] &&
    first.zeroPointData.dtype === second.zeroPointData.dtype &&
    first.zeroPointData.data[0] === second.zeroPointData.data[0]
  );
}
