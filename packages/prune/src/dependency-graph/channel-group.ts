// ChannelGroup: one set of coupled channels (DepGraph's "group"). Removing root channel r
// removes, in every member (value, axis), the indices it maps to; `prune(indices)` applies that
// physically and returns a new GraphModule; `toString()` lists what is coupled.
import { ConfigError } from '@efficientdl/ir';
import type { GraphModule } from '@efficientdl/nn';
import type { ParameterRole } from './coupling-types.js';
import type { ChannelRemovals } from './rewrite-graph.js';

export type MemberKind = 'initializer' | 'constant' | 'activation';

export interface GroupMember {
  readonly value: string;
  readonly axis: number;
  readonly size: number;
  readonly kind: MemberKind;
  readonly roles: readonly ParameterRole[];
  /** The nodes through which this member is coupled, as `Op 'name'`. */
  readonly nodes: readonly string[];
  /** Per root channel: the member indices it couples. */
  readonly mapping: readonly (readonly number[])[];
}

/** A prunable layer: a Conv, Gemm or weight MatMul whose output channels belong to a group. */
export interface LayerInfo {
  /** The weight name without `.weight` (`features.0`), else the node name. */
  readonly name: string;
  readonly node: string;
  readonly op: string;
  readonly weight?: string;
  readonly output: string;
  readonly axis: number;
  readonly channels: number;
}

export interface ChannelGroupInit {
  id: number;
  size: number;
  members: readonly GroupMember[];
  layers: readonly LayerInfo[];
  blockedReasons: readonly string[];
  partition?: readonly (readonly number[])[];
  prune: (removals: ChannelRemovals) => GraphModule;
}

function describeMapping(mapping: readonly (readonly number[])[]): string {
  const counts = new Set(mapping.map((list) => list.length));
  if (counts.size === 1 && counts.has(1)) {
    const first = mapping[0]?.[0] ?? 0;
    const contiguous = mapping.every((list, index) => list[0] === first + index);
    if (contiguous && first === 0) return '';
    return contiguous ? ` channels [${first}, ${first + mapping.length})` : ' (permuted)';
  }
  return counts.size === 1 ? ` (${[...counts][0]} per channel)` : ' (uneven)';
}

export class ChannelGroup {
  readonly id: number;
  readonly size: number;
  readonly members: readonly GroupMember[];
  readonly layers: readonly LayerInfo[];
  readonly blockedReasons: readonly string[];
  readonly partition?: readonly (readonly number[])[];
  private readonly apply: (removals: ChannelRemovals) => GraphModule;

  constructor(init: ChannelGroupInit) {
    this.id = init.id;
    this.size = init.size;
    this.members = init.members;
    this.layers = init.layers;
    this.blockedReasons = init.blockedReasons;
    this.partition = init.partition;
    this.apply = init.prune;
  }

  /** The first layer's name (the root layer), or `group <id>`. */
  get name(): string {
    return this.layers[0]?.name ?? `group ${this.id}`;
  }

  get prunable(): boolean {
    return this.blockedReasons.length === 0 && this.size > 1;
  }

  /** Checks `indices` (root channels to remove) and returns them sorted. */
  checkIndices(indices: readonly number[]): number[] {
    const sorted = [...new Set(indices)].sort((a, b) => a - b);
    if (!this.prunable) {
      throw new ConfigError(`group '${this.name}' cannot be pruned: ${this.blockedReasons.join('; ') || 'it has a single channel'}`, { group: this.name });
    }
    if (sorted.length !== indices.length || sorted.some((index) => !Number.isInteger(index) || index < 0 || index >= this.size)) {
      throw new ConfigError(`group '${this.name}': channel indices must be distinct integers in [0, ${this.size}), got [${indices.join(', ')}]`, { group: this.name });
    }
    if (sorted.length >= this.size) {
      throw new ConfigError(`group '${this.name}': removing ${sorted.length} of ${this.size} channels would remove every channel of layer '${this.name}'`, { group: this.name });
    }
    if (this.partition) {
      const counts = this.partition.map((part) => part.filter((index) => sorted.includes(index)).length);
      if (counts.some((count) => count !== counts[0])) {
        throw new ConfigError(`group '${this.name}': grouped channels must be removed equally from each of ${this.partition.length} groups, got [${counts.join(', ')}]`, { group: this.name });
      }
    }
    return sorted;
  }

  /** What removing root channels `indices` removes in every member (value → axis → indices). */
  removalsFor(indices: readonly number[]): Map<string, Map<number, Set<number>>> {
    const removals = new Map<string, Map<number, Set<number>>>();
    for (const member of this.members) {
      const removed = indices.flatMap((index) => member.mapping[index] ?? []);
      if (removed.length === 0) continue;
      const byAxis = removals.get(member.value) ?? new Map<number, Set<number>>();
      const set = byAxis.get(member.axis) ?? new Set<number>();
      for (const index of removed) set.add(index);
      byAxis.set(member.axis, set);
      removals.set(member.value, byAxis);
    }
    return removals;
  }

  /** A new GraphModule without root channels `indices` (every coupled tensor physically smaller). */
  prune(indices: readonly number[]): GraphModule {
    return this.apply(this.removalsFor(this.checkIndices(indices)));
  }

  toString(): string {
    const status = this.prunable ? 'prunable' : `not prunable: ${this.blockedReasons.join('; ') || 'single channel'}`;
    const lines = [`group ${this.id} '${this.name}': ${this.size} channels, ${status}`];
    if (this.layers.length > 0) lines.push(`  layers: ${this.layers.map((layer) => `${layer.name} (${layer.op})`).join(', ')}`);
    if (this.partition) lines.push(`  pruned equally from ${this.partition.length} channel groups`);
    for (const member of this.members) {
      const roles = member.roles.length > 0 && member.kind !== 'activation' ? ` ${member.roles.join('/')}` : '';
      const via = member.nodes.length > 0 ? ` via ${member.nodes.join(', ')}` : '';
      lines.push(`  ${member.kind} '${member.value}' axis ${member.axis} (${member.size})${describeMapping(member.mapping)}${roles}${via}`);
    }
    return lines.join('\n');
  }
}
