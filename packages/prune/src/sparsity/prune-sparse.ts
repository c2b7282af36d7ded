// pruneSparse(model, config): unstructured / semi-structured sparsity on an nn Module or a
// GraphModule. Everything is validated first (ConfigError naming the layer, model untouched),
// then masks are chosen from the importance scores (select-masks.ts) and the pruned weights are
// zeroed in place. The returned SparsityMasks keeps them at zero during fine-tuning.
// Masks alone do not make a model faster: toSparseExecution (sparse-execution.ts) turns the zeros
// into sparse kernels.
import { ConfigError, type TensorData, tensorData } from '@efficientdl/ir';
import { type Importance, describeImportance, magnitude } from '../importance/importance.js';
import { elementScores } from './element-scores.js';
import { type PrunableWeight, type SparsityModel, findPrunableWeights, matchesIgnore, resolveLayer } from './prunable-weights.js';
import { type GroupGranularity, type PoolLayer, groupScores, groupWeight, maskFromGroups, nmMask, selectLowest } from './select-masks.js';
import { type SparsityConfig, checkSparsityConfig, nmPatternOf } from './sparsity-config.js';
import { SparsityMasks } from './sparsity-masks.js';
import { type LayerSparsity, countZeros, sparsityReport } from './sparsity-report.js';

/** What happens to one layer: skipped, its own ratio, the global pool, or an n:m pattern. */
type LayerRule = { kind: 'ignored' } | { kind: 'ratio'; ratio: number; label: string } | { kind: 'global' } | { kind: 'nm'; label: string };

interface Plan {
  readonly weights: PrunableWeight[];
  readonly rules: LayerRule[];
  readonly importance: Importance;
}

/** Validates the config against the model and decides each layer's rule (no side effects). */
function planLayers(model: SparsityModel, config: SparsityConfig): Plan {
  checkSparsityConfig(config);
  const weights = findPrunableWeights(model);
  if (weights.length === 0) throw new ConfigError('pruneSparse: the model has no Conv, Gemm or Linear weight to prune');
  const ignored = new Set<PrunableWeight>();
  for (const entry of config.ignore ?? []) {
    if (typeof entry === 'string') ignored.add(resolveLayer(weights, entry, 'ignore'));
    else for (const weight of weights) if (matchesIgnore(weight, entry)) ignored.add(weight);
  }
  const overrides = new Map<PrunableWeight, number>();
  for (const [name, ratio] of Object.entries(config.perLayerRatios ?? {})) overrides.set(resolveLayer(weights, name, 'perLayerRatios'), ratio);
  const pattern = nmPatternOf(config.granularity);
  const scope = config.scope ?? 'uniform';
  const rules = weights.map((weight): LayerRule => {
    if (ignored.has(weight)) return { kind: 'ignored' };
    if (pattern) return { kind: 'nm', label: config.granularity };
    const override = overrides.get(weight);
    if (override !== undefined) return { kind: 'ratio', ratio: override, label: `per-layer ${override}` };
    return scope === 'global' ? { kind: 'global' } : { kind: 'ratio', ratio: config.ratio as number, label: `uniform ${config.ratio}` };
  });
  return { weights, rules, importance: config.importance ?? magnitude({ p: 1 }) };
}

function groupGranularity(config: SparsityConfig): GroupGranularity {
  if (config.granularity === 'kernel') return { kind: 'kernel' };
  if (config.granularity === 'block') {
    const [rows, cols] = config.block as readonly [number, number];
    return { kind: 'block', rows, cols };
  }
  return { kind: 'element' };
}

/** Keep-masks per layer (undefined for ignored layers) and the global threshold. */
function chooseMasks(plan: Plan, config: SparsityConfig, scores: Float64Array[]): { masks: (Uint8Array | undefined)[]; threshold?: number } {
  const pattern = nmPatternOf(config.granularity);
  const granularity = groupGranularity(config);
  const masks: (Uint8Array | undefined)[] = plan.weights.map(() => undefined);
  const pool: { index: number; layer: PoolLayer }[] = [];
  plan.rules.forEach((rule, index) => {
    const weight = plan.weights[index] as PrunableWeight;
    const layerScores = scores[index] as Float64Array;
    if (rule.kind === 'ignored') return;
    if (rule.kind === 'nm' && pattern) {
      masks[index] = nmMask(weight, layerScores, pattern);
      return;
    }
    const grouping = groupWeight(weight, granularity);
    const layer = { grouping, scores: groupScores(grouping, layerScores) };
    if (rule.kind === 'global') {
      pool.push({ index, layer });
      return;
    }
    if (rule.kind === 'ratio') masks[index] = maskFromGroups(grouping, selectLowest([layer], rule.ratio).pruned[0] as Uint8Array);
  });
  if (pool.length === 0) return { masks };
  const { pruned, threshold } = selectLowest(pool.map((entry) => entry.layer), config.ratio as number);
  pool.forEach((entry, poolIndex) => {
    masks[entry.index] = maskFromGroups(entry.layer.grouping, pruned[poolIndex] as Uint8Array);
  });
  return { masks, threshold };
}

/**
 * Prunes `model` in place to the sparsity `config` asks for and returns the masks and the report.
 * Throws a ConfigError (model untouched) for a bad config or an unknown layer name.
 */
export function pruneSparse(model: SparsityModel, config: SparsityConfig): SparsityMasks {
  const plan = planLayers(model, config);
  const scores = elementScores(model, plan.weights, plan.importance);
  const { masks, threshold } = chooseMasks(plan, config, scores);
  const named = new Map<string, TensorData>();
  const layers: LayerSparsity[] = plan.weights.map((weight, index) => {
    const mask = masks[index];
    const values = weight.tensor.values as Float32Array;
    if (mask) {
      for (let element = 0; element < mask.length; element++) if (mask[element] === 0) values[element] = 0;
      named.set(weight.parameter, tensorData('bool', weight.tensor.shape, mask));
    }
    const rule = plan.rules[index] as LayerRule;
    const zeros = countZeros(values);
    const label = rule.kind === 'ignored' ? 'ignored' : rule.kind === 'global' ? 'global' : rule.label;
    return { layer: weight.layer, parameter: weight.parameter, shape: [...weight.tensor.shape], elements: values.length, zeros, sparsity: zeros / Math.max(1, values.length), rule: label };
  });
  const report = sparsityReport({ granularity: config.granularity, importance: describeImportance(plan.importance), layers, threshold });
  return new SparsityMasks(named, report);
}
