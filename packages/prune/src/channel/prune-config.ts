// The JSON-serializable configuration of `prune` (DESIGN §5) and its validation, which runs
// before anything changes: ratios in [0, 1), known layer names, no layer emptied.
import { ConfigError } from '@efficientdl/ir';
import type { ShapedExample } from '../dependency-graph/graph-facts.js';
import type { Importance } from '../importance/importance.js';

export type PruneScope = 'uniform' | 'global';

export interface PruneConfig {
  /** Default magnitude({ p: 2 }). */
  importance?: Importance;
  /** Fraction of channels to remove from each group ('uniform') or from all of them ('global'), in [0, 1). */
  ratio: number;
  /** 'channel' (the default; sparsity granularities take a SparsityConfig). */
  granularity?: 'channel';
  scope?: PruneScope;
  /** Ratio per layer (layer name `features.0`, node name or weight name), overriding `ratio`. */
  perLayerRatios?: Readonly<Record<string, number>>;
  /** Keep a multiple of this many channels per group (nearest multiple, at least one; default 1). */
  roundTo?: number;
  /** Layers to leave untouched (names or patterns). */
  ignore?: readonly (string | RegExp)[];
  /** Example inputs: fix symbolic dims, and trace a plain nn Module. */
  exampleInputs?: readonly ShapedExample[];
}

export function checkRatio(ratio: unknown, what: string): number {
  if (typeof ratio !== 'number' || !Number.isFinite(ratio) || ratio < 0 || ratio >= 1) {
    throw new ConfigError(`${what} must be a number in [0, 1), got ${String(ratio)}`, { ratio });
  }
  return ratio;
}

/** Checks the parts of the config that need no model. */
export function checkConfigShape(config: PruneConfig): void {
  checkRatio(config.ratio, 'prune: ratio');
  const scope = config.scope ?? 'uniform';
  if (scope !== 'uniform' && scope !== 'global') throw new ConfigError(`prune: scope must be 'uniform' or 'global', got '${String(scope)}'`);
  for (const [name, ratio] of Object.entries(config.perLayerRatios ?? {})) checkRatio(ratio, `prune: perLayerRatios['${name}']`);
  const roundTo = config.roundTo ?? 1;
  if (!Number.isInteger(roundTo) || roundTo < 1) throw new ConfigError(`prune: roundTo must be a positive integer, got ${String(roundTo)}`);
  if (config.granularity !== undefined && config.granularity !== 'channel') throw new ConfigError(`pruneChannels: granularity must be 'channel', got '${String(config.granularity)}'`);
  for (const pattern of config.ignore ?? []) {
    if (typeof pattern !== 'string' && !(pattern instanceof RegExp)) throw new ConfigError(`prune: ignore entries must be strings or RegExps, got ${String(pattern)}`);
  }
}
