// The vocabulary of the dependency graph's op rules (DepGraph, Fang et al. 2023): a rule lists the
// coupling classes of one node. A class is a set of (port, axis) members whose channels must be
// removed together; each member sees the class's canonical channel index through an IndexMap.
import type { Node, TensorData } from '@efficientdl/ir';
import type { IndexMap } from './index-map.js';

export interface Port {
  readonly side: 'input' | 'output';
  readonly index: number;
}

/** What an initializer member is to its node; importance criteria pick members by role. */
export type ParameterRole = 'weight' | 'bias' | 'norm-scale' | 'norm-shift' | 'statistic' | 'other';

export interface CouplingMember {
  readonly port: Port;
  readonly axis: number;
  readonly map: IndexMap;
  readonly role?: ParameterRole;
}

export interface Coupling {
  readonly members: readonly CouplingMember[];
  /** Set when channels reaching this class cannot be removed (and why). */
  readonly blocked?: string;
  /** Channels fall into this many equal contiguous groups of the canonical space (size `canonicalSize`); prune equally from each. */
  readonly evenGroups?: number;
  readonly canonicalSize?: number;
}

/** What a rule may look at: the node, static shapes of its values, constant initializers. */
export interface RuleContext {
  readonly node: Node;
  /** Static shape of an input/output port (undefined when omitted or unknown). */
  shape(port: Port): readonly number[] | undefined;
  /** Constant value of an input (initializer or Constant node), if any. */
  constant(index: number): TensorData | undefined;
  /** Resolved attributes (schema defaults filled). */
  readonly attrs: Readonly<Record<string, unknown>>;
}

export type CouplingRule = (context: RuleContext) => Coupling[];

export const input = (index: number): Port => ({ side: 'input', index });
export const output = (index: number): Port => ({ side: 'output', index });

export function member(port: Port, axis: number, map: IndexMap, role?: ParameterRole): CouplingMember {
  return role === undefined ? { port, axis, map } : { port, axis, map, role };
}

export function product(dims: readonly number[]): number {
  return dims.reduce((total, dim) => total * dim, 1);
}
