// Decides how many and which root channels each group loses: per-group ratios from the config
// (uniform ratio, per-layer overrides, ignored layers), lowest scores first; with scope 'global'
// the groups without an override compete on scores normalized by their group mean. Every
// ratio is checked before anything changes (unknown layer, unprunable layer, emptied layer).
import { ConfigError } from '@efficientdl/ir';
import type { DependencyGraph } from '../dependency-graph/build-dependency-graph.js';
import { matchesLayer } from '../dependency-graph/build-dependency-graph.js';
import type { ChannelGroup } from '../dependency-graph/channel-group.js';
import type { PruneConfig } from './prune-config.js';

export interface GroupPlan {
  readonly group: ChannelGroup;
  /** The ratio asked for this group (undefined: chosen by global ranking). */
  readonly ratio?: number;
  readonly remove: readonly number[];
}

function describe(pattern: string | RegExp): string {
  return typeof pattern === 'string' ? `'${pattern}'` : String(pattern);
}

function checkKnown(graph: DependencyGraph, pattern: string | RegExp, where: string): void {
  if (graph.layers.some((layer) => matchesLayer(layer, pattern))) return;
  const known = graph.layers.map((layer) => layer.name).join(', ');
  throw new ConfigError(`prune: ${where} names layer ${describe(pattern)}, which is not a prunable layer of this model (layers: ${known})`, {
    layer: String(pattern),
  });
}

/** Groups to leave alone (every layer of the group matched by an ignore entry → skip; any → skip). */
function ignoredGroups(graph: DependencyGraph, config: PruneConfig): Set<ChannelGroup> {
  const ignored = new Set<ChannelGroup>();
  for (const pattern of config.ignore ?? []) {
    checkKnown(graph, pattern, 'ignore');
    for (const group of graph.groups) if (group.layers.some((layer) => matchesLayer(layer, pattern))) ignored.add(group);
  }
  return ignored;
}

/** Per-group ratios from perLayerRatios, checked against the groups. */
function overrideRatios(graph: DependencyGraph, config: PruneConfig): Map<ChannelGroup, number> {
  const ratios = new Map<ChannelGroup, number>();
  for (const [name, ratio] of Object.entries(config.perLayerRatios ?? {})) {
    checkKnown(graph, name, 'perLayerRatios');
    const group = graph.groupOf(name) as ChannelGroup;
    if (ratio > 0 && !group.prunable) {
      throw new ConfigError(`prune: layer '${name}' cannot be pruned: ${group.blockedReasons.join('; ') || 'it has a single channel'}`, { layer: name });
    }
    const previous = ratios.get(group);
    if (previous !== undefined && previous !== ratio) {
      throw new ConfigError(`prune: perLayerRatios gives ${previous} and ${ratio} to coupled layers of group '${group.name}' (${group.layers.map((layer) => layer.name).join(', ')})`, {
        layer: name,
      });
    }
    ratios.set(group, ratio);
  }
  return ratios;
}

/** The `count` lowest-scoring indices of `candidates`. */
function lowest(candidates: readonly number[], scores: Float64Array, count: number): number[] {
  return [...candidates].sort((a, b) => (scores[a] as number) - (scores[b] as number) || a - b).slice(0, count);
}

/**
 * How many channels of a part of `size` a ratio removes: round(size·ratio), then, with
 * `roundTo`, adjusted so the kept count is the nearest multiple of it (at least one multiple;
 * SIMD kernels and onnxruntime's blocked layouts run fastest on multiples of 8 or 16).
 */
export function removedCount(size: number, ratio: number, roundTo = 1): number {
  const count = Math.round(size * ratio);
  if (roundTo <= 1 || count === 0) return count;
  const kept = Math.max(roundTo, Math.round((size - count) / roundTo) * roundTo);
  return Math.max(0, size - kept);
}

/** Lowest-scoring channels for a ratio, equal counts per partition part when the group has one. */
export function selectForRatio(group: ChannelGroup, scores: Float64Array, ratio: number, roundTo = 1): number[] {
  const parts = group.partition ?? [Array.from({ length: group.size }, (_, index) => index)];
  const perPart = removedCount(parts[0]?.length ?? 0, ratio, roundTo);
  if (perPart >= (parts[0]?.length ?? 0) && perPart > 0) {
    throw new ConfigError(`prune: ratio ${ratio} would remove all ${group.size} channels of layer '${group.name}'`, { layer: group.name, ratio });
  }
  return parts.flatMap((part) => lowest(part, scores, perPart)).sort((a, b) => a - b);
}

/** Global ranking over groups: lowest normalized scores go first, each group keeps ≥ 1 channel per part. */
function selectGlobal(groups: readonly ChannelGroup[], scores: ReadonlyMap<ChannelGroup, Float64Array>, ratio: number): Map<ChannelGroup, number> {
  const entries: { group: ChannelGroup; score: number }[] = [];
  for (const group of groups) {
    const own = scores.get(group) as Float64Array;
    const mean = own.reduce((total, value) => total + value, 0) / Math.max(1, own.length) || 1;
    for (const value of own) entries.push({ group, score: value / mean });
  }
  entries.sort((a, b) => a.score - b.score);
  const target = Math.round(entries.length * ratio);
  const counts = new Map<ChannelGroup, number>(groups.map((group) => [group, 0]));
  let taken = 0;
  for (const entry of entries) {
    if (taken >= target) break;
    const count = counts.get(entry.group) as number;
    if (count + 1 >= entry.group.size) continue;
    counts.set(entry.group, count + 1);
    taken++;
  }
  return counts;
}

export function planPruning(graph: DependencyGraph, config: PruneConfig, scoresOf: (groups: readonly ChannelGroup[]) => ReadonlyMap<ChannelGroup, Float64Array>): GroupPlan[] {
  const ignored = ignoredGroups(graph, config);
  const overrides = overrideRatios(graph, config);
  const candidates = graph.groups.filter((group) => group.prunable && !ignored.has(group));
  const ratioOf = (group: ChannelGroup) => overrides.get(group) ?? config.ratio;
  const roundTo = config.roundTo ?? 1;
  for (const group of candidates) selectForRatio(group, new Float64Array(group.size), ratioOf(group), roundTo); // emptied-layer check before scoring
  const active = candidates.filter((group) => ratioOf(group) > 0);
  const scores = scoresOf(active);
  if ((config.scope ?? 'uniform') === 'uniform') {
    return active.map((group) => ({ group, ratio: ratioOf(group), remove: selectForRatio(group, scores.get(group) as Float64Array, ratioOf(group), roundTo) }));
  }
  const fixed = active.filter((group) => overrides.has(group));
  const ranked = active.filter((group) => !overrides.has(group));
  const counts = selectGlobal(ranked, scores, config.ratio);
  return [
    ...fixed.map((group) => ({ group, ratio: ratioOf(group), remove: selectForRatio(group, scores.get(group) as Float64Array, ratioOf(group), roundTo) })),
    ...ranked.map((group) => {
      const parts = group.partition?.length ?? 1;
      const count = Math.floor((counts.get(group) as number) / parts) * parts;
      return { group, remove: selectForRatio(group, scores.get(group) as Float64Array, count / group.size, roundTo) };
    }),
  ];
}
