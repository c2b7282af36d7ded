// What opset upgrades may ask while the importer converts nodes: the default-domain opset,
// fresh unique names, new constant initializers, and the inferred type of an earlier value.
import {
  type AttrValue,
  type Attributes,
  type DType,
  type Node,
  type TensorData,
  type ValueInfo,
  fromNumbers,
} from '@efficientdl/ir';

/** A node being converted: like an IR Node but with mutable attributes. */
export interface ImportNode {
  name: string;
  op: string;
  domain: string;
  inputs: string[];
  outputs: string[];
  attrs: Record<string, AttrValue>;
}

export interface UpgradeContext {
  /** Opset version of the default ('' / 'ai.onnx') domain in the file. */
  readonly opset: number;
  /** Adds a constant initializer whose name derives from `base`; returns the unique name. */
  constant(base: string, tensor: TensorData): string;
  /** A value or node name derived from `base` that is unused so far. */
  fresh(base: string): string;
  /** The inferred type of `value` given the nodes converted so far (undefined if unknown). */
  typeOf(value: string): ValueInfo | undefined;
  /** Whether a value is read by any node of the file or is a graph output. */
  isUsed(value: string): boolean;
  /** A constant initializer's data, if `value` names one. */
  initializer(value: string): TensorData | undefined;
}

/** Moves an int-list attribute to input `position` as an int64 initializer (padding with ''). */
export function intsAttrToInput(node: ImportNode, attr: string, position: number, context: UpgradeContext): void {
  const value = node.attrs[attr];
  delete node.attrs[attr];
  if (value === undefined) return;
  const list = typeof value === 'number' ? [value] : (value as number[]);
  setInput(node, position, context.constant(`${node.name}_${attr}`, fromNumbers('int64', [list.length], list)));
}

/** Moves a float attribute to input `position` as a scalar of `dtype`. */
export function scalarAttrToInput(node: ImportNode, attr: string, position: number, dtype: DType, context: UpgradeContext): void {
  const value = node.attrs[attr];
  delete node.attrs[attr];
  if (typeof value !== 'number') return;
  setInput(node, position, context.constant(`${node.name}_${attr}`, fromNumbers(dtype, [], [value])));
}

export function setInput(node: ImportNode, position: number, name: string): void {
  while (node.inputs.length < position) node.inputs.push('');
  node.inputs[position] = name;
}

/** Drops attributes that later opsets removed. */
export function dropAttrs(node: ImportNode, names: readonly string[]): void {
  for (const name of names) delete node.attrs[name];
}

export function toNode(node: ImportNode): Node {
  return { ...node, attrs: node.attrs as Attributes };
}
