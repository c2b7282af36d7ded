// The JSON-serializable configuration of pruneSparse (unstructured / semi-structured sparsity)
// and the checks that need no model: granularity, ratio in [0, 1), block size, N:M pattern,
// importance kind, scope. They run before anything is touched (ConfigError).
import { ConfigError } from '@efficientdl/ir';
import type { Importance } from '../importance/importance.js';

/**
 * 'element'  single weights;
 * 'kernel'   the kH×kW kernel of one (output, input) channel pair (an element for Linear);
 * 'block'    block[0] × block[1] tiles of the (outputs, reduction) matrix;
 * 'n:m'      e.g. '2:4', '4:8': n kept of every m consecutive weights along the reduction dimension.
 */
export type SparsityGranularity = 'element' | 'kernel' | 'block' | '2:4' | '4:8' | `${number}:${number}`;

/** 'uniform': every layer loses `ratio` of its weights; 'global': one threshold shared across layers. */
export type SparsityScope = 'uniform' | 'global';

export interface SparsityConfig {
  granularity: SparsityGranularity;
  /** Fraction of weights to zero, in [0, 1). Required except for n:m (which implies 1 − n/m). */
  ratio?: number;
  /** Default magnitude({ p: 1 }). taylor needs batches; bn-scale does not apply to weights. */
  importance?: Importance;
  scope?: SparsityScope;
  /** Ratio per layer (layer name `features.0`, node name or weight name); such layers leave the global pool. */
  perLayerRatios?: Readonly<Record<string, number>>;
  /** Layers left dense: names (must exist) or patterns. */
  ignore?: readonly (string | RegExp)[];
  /** [rows, cols] of a block (granularity 'block'). */
  block?: readonly [number, number];
}

export interface NmPattern {
  readonly n: number;
  readonly m: number;
}

/** The n:m pattern of a granularity like '2:4', or undefined for the ratio-based ones. */
export function nmPatternOf(granularity: string): NmPattern | undefined {
  const match = /^(\d+):(\d+)$/.exec(granularity);
  if (!match) return undefined;
  return { n: Number(match[1]), m: Number(match[2]) };
}

export function checkSparsityRatio(ratio: unknown, what: string): number {
  if (typeof ratio !== 'number' || !Number.isFinite(ratio) || ratio < 0 || ratio >= 1) {
    throw new ConfigError(`pruneSparse: ${what} must be a number in [0, 1), got ${String(ratio)}`, { ratio });
  }
  return ratio;
}

function checkGranularity(config: SparsityConfig): void {
  const { granularity } = config;
  const pattern = nmPatternOf(String(granularity));
  if (pattern) {
    if (!(pattern.n >= 1 && pattern.n < pattern.m && pattern.m <= 255)) {
      throw new ConfigError(`pruneSparse: granularity '${granularity}' must be n:m with 1 <= n < m <= 255`, { granularity });
    }
    const implied = 1 - pattern.n / pattern.m;
    if (config.ratio !== undefined && Math.abs(config.ratio - implied) > 1e-9) {
      throw new ConfigError(`pruneSparse: granularity '${granularity}' fixes the ratio at ${implied}; got ratio ${config.ratio}`, { granularity });
    }
    if (config.perLayerRatios && Object.keys(config.perLayerRatios).length > 0) {
      throw new ConfigError(`pruneSparse: perLayerRatios do not apply to granularity '${granularity}'`, { granularity });
    }
    return;
  }
  if (!['element', 'kernel', 'block'].includes(granularity)) {
    throw new ConfigError(`pruneSparse: unknown granularity '${String(granularity)}' (element, kernel, block or n:m such as '2:4')`, { granularity });
  }
  if (granularity === 'block') {
    const block = config.block;
    if (!block || block.length !== 2 || !block.every((size) => Number.isInteger(size) && size >= 1)) {
      throw new ConfigError(`pruneSparse: granularity 'block' needs block: [rows, cols] of positive integers, got ${JSON.stringify(block)}`);
    }
  }
  checkSparsityRatio(config.ratio, 'ratio');
}

function checkImportance(importance: Importance | undefined): void {
  if (!importance) return;
  if (importance.kind === 'bn-scale') throw new ConfigError("pruneSparse: importance 'bn-scale' scores channels, not weights; use magnitude, taylor or random");
  if (importance.kind === 'magnitude' && importance.p !== 1 && importance.p !== 2) throw new ConfigError(`pruneSparse: magnitude p must be 1 or 2, got ${String(importance.p)}`);
  if (importance.kind === 'taylor' && importance.batches.length === 0) throw new ConfigError('pruneSparse: taylor importance needs at least one batch');
  if (!['magnitude', 'taylor', 'random'].includes(importance.kind)) throw new ConfigError(`pruneSparse: unknown importance kind '${String((importance as { kind: unknown }).kind)}'`);
}

/** Checks the parts of the config that need no model. */
export function checkSparsityConfig(config: SparsityConfig): void {
  if (typeof config !== 'object' || config === null) throw new ConfigError('pruneSparse: config must be an object');
  checkGranularity(config);
  checkImportance(config.importance);
  const scope = config.scope ?? 'uniform';
  if (scope !== 'uniform' && scope !== 'global') throw new ConfigError(`pruneSparse: scope must be 'uniform' or 'global', got '${String(scope)}'`);
  for (const [name, ratio] of Object.entries(config.perLayerRatios ?? {})) checkSparsityRatio(ratio, `perLayerRatios['${name}']`);
  for (const pattern of config.ignore ?? []) {
    if (typeof pattern !== 'string' && !(pattern instanceof RegExp)) throw new ConfigError(`pruneSparse: ignore entries must be strings or RegExps, got ${String(pattern)}`);
  }
}
