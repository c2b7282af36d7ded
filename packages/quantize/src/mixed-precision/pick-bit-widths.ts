// Bit-width allocation under a size budget (HAQ / HAWQ-style mixed precision, with measured
// per-layer sensitivities as costs): every layer picks one option (bits, bytes, cost = accuracy
// drop when that layer alone is quantized) so that Σ bytes ≤ budget and Σ cost is smallest —
// a multiple-choice knapsack, solved exactly by dynamic programming over the budget (bytes
// rounded UP to a resolution, so a returned plan never exceeds the budget), or greedily (start at
// the widest option, repeatedly take the downgrade with the least extra cost per byte saved).
// reference: Wang et al. 2019 (HAQ, https://arxiv.org/abs/1811.08886); Dong et al. 2019 (HAWQ)
import { ConfigError } from '@efficientdl/ir';

export interface BitOption {
  bits: number;
  bytes: number;
  /** Accuracy drop (or any additive cost) of this layer at these bits. */
  cost: number;
}

export interface LayerOptions {
  name: string;
  options: BitOption[];
}

export interface PickOptions {
  /** Bytes available for the layers' weights. */
  budgetBytes: number;
  /** 'knapsack' (exact DP, default) or 'greedy'. */
  method?: 'knapsack' | 'greedy';
  /** Number of budget cells of the DP (default 20 000); more = finer, slower. */
  resolution?: number;
}

export interface BitPlan {
  /** Bits per layer name. */
  bits: Record<string, number>;
  bytes: number;
  cost: number;
}

function summarize(layers: readonly LayerOptions[], chosen: readonly BitOption[]): BitPlan {
  const bits: Record<string, number> = {};
  layers.forEach((layer, index) => {
    bits[layer.name] = (chosen[index] as BitOption).bits;
  });
  return { bits, bytes: chosen.reduce((sum, option) => sum + option.bytes, 0), cost: chosen.reduce((sum, option) => sum + option.cost, 0) };
}

function infeasible(layers: readonly LayerOptions[], budget: number): ConfigError {
  const smallest = layers.reduce((sum, layer) => sum + Math.min(...layer.options.map((option) => option.bytes)), 0);
  return new ConfigError(`pickBitWidths: budget ${budget} B is below the smallest possible size ${smallest} B`, { budgetBytes: budget, smallest });
}

function pickGreedy(layers: readonly LayerOptions[], budget: number): BitOption[] {
  const sorted = layers.map((layer) => [...layer.options].sort((a, b) => b.bytes - a.bytes));
  const position = sorted.map(() => 0);
  let bytes = sorted.reduce((sum, options) => sum + (options[0] as BitOption).bytes, 0);
  while (bytes > budget) {
    let best = -1;
    let bestRatio = Number.POSITIVE_INFINITY;
    sorted.forEach((options, layer) => {
      const current = options[position[layer] as number] as BitOption;
      const next = options[(position[layer] as number) + 1];
      if (!next || next.bytes >= current.bytes) return;
      const ratio = (next.cost - current.cost) / (current.bytes - next.bytes);
      if (ratio < bestRatio) [best, bestRatio] = [layer, ratio];
    });
    if (best < 0) throw infeasible(layers, budget);
    const options = sorted[best] as BitOption[];
    bytes -= (options[position[best] as number] as BitOption).bytes - (options[(position[best] as number) + 1] as BitOption).bytes;
    position[best] = (position[best] as number) + 1;
  }
  return sorted.map((options, layer) => options[position[layer] as number] as BitOption);
}

function pickKnapsack(layers: readonly LayerOptions[], budget: number, resolution: number): BitOption[] {
  const unit = Math.max(1, Math.ceil(budget / resolution));
  const cells = Math.floor(budget / unit);
  // best[c] = least cost of the layers so far using at most c cells; choice[layer][c] = option index
  let best = new Float64Array(cells + 1);
  const choices: Int16Array[] = [];
  for (const layer of layers) {
    const next = new Float64Array(cells + 1).fill(Number.POSITIVE_INFINITY);
    const choice = new Int16Array(cells + 1).fill(-1);
    layer.options.forEach((option, index) => {
      const size = Math.ceil(option.bytes / unit);
      for (let c = size; c <= cells; c++) {
        const candidate = (best[c - size] as number) + option.cost;
        if (candidate < (next[c] as number)) [next[c], choice[c]] = [candidate, index];
      }
    });
    best = next;
    choices.push(choice);
  }
  if (!Number.isFinite(best[cells] as number)) throw infeasible(layers, budget);
  const chosen: BitOption[] = [];
  let c = cells;
  for (let layer = layers.length - 1; layer >= 0; layer--) {
    const option = (layers[layer] as LayerOptions).options[(choices[layer] as Int16Array)[c] as number] as BitOption;
    chosen.unshift(option);
    c -= Math.ceil(option.bytes / unit);
  }
  return chosen;
}

/** The plan of least total cost within the budget (see the file header). */
export function pickBitWidths(layers: readonly LayerOptions[], options: PickOptions): BitPlan {
  const budget = options.budgetBytes;
  if (!(budget >= 0)) throw new ConfigError(`pickBitWidths: budgetBytes must be ≥ 0, got ${budget}`, { budgetBytes: budget });
  if (layers.some((layer) => layer.options.length === 0)) throw new ConfigError('pickBitWidths: every layer needs at least one option');
  const chosen = options.method === 'greedy' ? pickGreedy(layers, budget) : pickKnapsack(layers, budget, options.resolution ?? 20_000);
  return summarize(layers, chosen);
}
