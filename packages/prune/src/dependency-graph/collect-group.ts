// Collects one group of coupled channels by a breadth-first walk from a root channel space
// (a layer's output channels): every node touching a reached (value, axis) contributes the
// members of its coupling class, mapped per root channel. Reasons the group cannot be pruned
// (graph inputs/outputs, unknown ops, partial blocks, inconsistent couplings) are collected.
import { type Node, getOpSchema, hasOp, resolveAttributes } from '@efficientdl/ir';
import type { Coupling, CouplingMember, ParameterRole, Port, RuleContext } from './coupling-types.js';
import type { GraphFacts } from './graph-facts.js';
import { toCanonical, toMember } from './index-map.js';
import { isTransparent, ruleFor } from './op-rules.js';

export interface MemberDraft {
  readonly value: string;
  readonly axis: number;
  readonly size: number;
  /** Per root channel: the indices of this member it couples (sorted). */
  readonly mapping: readonly (readonly number[])[];
  readonly roles: Set<ParameterRole>;
  /** Nodes through which the member is coupled, with their op. */
  readonly nodes: Map<string, string>;
}

export interface GroupDraft {
  readonly root: MemberDraft;
  readonly members: Map<string, MemberDraft>;
  readonly blocked: string[];
  /** Root channels split into equal-size partitions from which equal counts must be pruned. */
  partition?: number[][];
}

export const spaceKey = (value: string, axis: number): string => `${value}#${axis}`;

export class CouplingTable {
  private readonly cache = new Map<Node, Coupling[] | undefined>();
  constructor(private readonly facts: GraphFacts) {}

  of(node: Node): Coupling[] | undefined {
    if (!this.cache.has(node)) this.cache.set(node, this.compute(node));
    return this.cache.get(node);
  }

  private compute(node: Node): Coupling[] | undefined {
    const rule = ruleFor(node);
    if (!rule || !hasOp(node.op, node.domain)) return undefined;
    const attrs = resolveAttributes(getOpSchema(node.op, node.domain, node.name), node.attrs, node.name);
    const facts = this.facts;
    const context: RuleContext = {
      node,
      attrs,
      shape: (port: Port) => {
        const name = (port.side === 'input' ? node.inputs : node.outputs)[port.index] ?? '';
        return name === '' ? undefined : facts.shapes.get(name);
      },
      constant: (index: number) => facts.constants.get(node.inputs[index] ?? ''),
    };
    return rule(context);
  }
}

function portName(node: Node, port: Port): string {
  return (port.side === 'input' ? node.inputs : node.outputs)[port.index] ?? '';
}

function sameMapping(a: readonly (readonly number[])[], b: readonly (readonly number[])[]): boolean {
  return a.length === b.length && a.every((list, index) => {
    const other = b[index] as readonly number[];
    return list.length === other.length && list.every((value, position) => value === other[position]);
  });
}

/** (node, port) pairs that touch `value`: its producer's output port and every consumer input port. */
function touching(facts: GraphFacts, value: string): { node: Node; port: Port }[] {
  const result: { node: Node; port: Port }[] = [];
  const producer = facts.producers.get(value);
  if (producer) producer.outputs.forEach((name, index) => name === value && result.push({ node: producer, port: { side: 'output', index } }));
  for (const consumer of new Set(facts.consumers.get(value) ?? [])) {
    consumer.inputs.forEach((name, index) => name === value && result.push({ node: consumer, port: { side: 'input', index } }));
  }
  return result;
}

const samePort = (a: Port, b: Port) => a.side === b.side && a.index === b.index;

export class GroupCollector {
  constructor(
    private readonly facts: GraphFacts,
    private readonly table: CouplingTable,
  ) {}

  collect(rootValue: string, axis: number): GroupDraft {
    const size = this.facts.shapes.get(rootValue)?.[axis] ?? 0;
    const root: MemberDraft = { value: rootValue, axis, size, mapping: Array.from({ length: size }, (_, index) => [index]), roles: new Set(), nodes: new Map() };
    const draft: GroupDraft = { root, members: new Map([[spaceKey(rootValue, axis), root]]), blocked: [] };
    const queue = [root];
    for (let current = queue.shift(); current; current = queue.shift()) {
      this.checkBoundary(draft, current);
      for (const { node, port } of touching(this.facts, current.value)) this.follow(draft, current, node, port, queue);
    }
    return draft;
  }

  private checkBoundary(draft: GroupDraft, member: MemberDraft): void {
    if (this.facts.inputNames.has(member.value)) draft.blocked.push(`reaches graph input '${member.value}'`);
    if (this.facts.outputNames.has(member.value)) draft.blocked.push(`reaches graph output '${member.value}'`);
  }

  private follow(draft: GroupDraft, current: MemberDraft, node: Node, port: Port, queue: MemberDraft[]): void {
    const couplings = this.table.of(node);
    const coupling = couplings?.find((entry) => entry.members.some((item) => samePort(item.port, port) && item.axis === current.axis));
    if (!coupling) {
      if (!isTransparent(node)) draft.blocked.push(`${node.op} '${node.name}' does not carry axis ${current.axis} of '${current.value}'`);
      return;
    }
    if (coupling.blocked) draft.blocked.push(coupling.blocked);
    const self = coupling.members.find((item) => samePort(item.port, port) && item.axis === current.axis) as CouplingMember;
    current.nodes.set(node.name, node.op);
    if (self.role) current.roles.add(self.role);
    const canonical = current.mapping.map((list) => toCanonical(self.map, list));
    if (canonical.some((list) => list === undefined)) {
      draft.blocked.push(`${node.op} '${node.name}' would remove part of a channel block of '${current.value}'`);
      return;
    }
    if (coupling.evenGroups && coupling.evenGroups > 1) this.addPartition(draft, canonical as number[][], coupling);
    for (const other of coupling.members) {
      if (other === self) continue;
      this.visit(draft, node, other, canonical as number[][], queue);
    }
  }

  private visit(draft: GroupDraft, node: Node, other: CouplingMember, canonical: number[][], queue: MemberDraft[]): void {
    const value = portName(node, other.port);
    if (value === '') return;
    const mapping = canonical.map((list) => toMember(other.map, list));
    if (mapping.every((list) => list.length === 0)) return;
    const key = spaceKey(value, other.axis);
    let target = draft.members.get(key);
    if (target && !sameMapping(target.mapping, mapping)) {
      draft.blocked.push(`'${value}' axis ${other.axis} is coupled inconsistently (through ${node.op} '${node.name}')`);
    }
    if (!target) {
      const size = this.facts.shapes.get(value)?.[other.axis] ?? 0;
      target = { value, axis: other.axis, size, mapping, roles: new Set(), nodes: new Map() };
      draft.members.set(key, target);
      queue.push(target);
    }
    target.nodes.set(node.name, node.op);
    if (other.role) target.roles.add(other.role);
  }

  private addPartition(draft: GroupDraft, canonical: number[][], coupling: Coupling): void {
    const groups = coupling.evenGroups as number;
    const perGroup = (coupling.canonicalSize ?? 0) / groups;
    const partition: number[][] = Array.from({ length: groups }, () => []);
    canonical.forEach((list, rootIndex) => {
      const first = list[0];
      if (first !== undefined) partition[Math.floor(first / perGroup)]?.push(rootIndex);
    });
    const sizes = partition.map((part) => part.length);
    const existing = draft.partition;
    if (existing && !sameMapping(existing, partition)) draft.blocked.push('channels are split into groups in two different ways');
    else if (!Number.isInteger(perGroup) || sizes.some((count) => count !== sizes[0])) draft.blocked.push(`channels do not split into ${groups} equal groups`);
    else draft.partition = partition;
  }
}
