// pruneIteratively: prune a little, fine-tune, repeat (Han et al. 2015; AGP). Each step prunes
// the current model by the step ratio that reaches the schedule's cumulative ratio, then calls
// `finetune(model, step)`; the report of every step is kept.
import type { GraphModule, Module } from '@efficientdl/nn';
import type { Tensor } from '@efficientdl/tensor';
import { type PruneResult, toGraphModule } from '../channel/prune.js';
import { prune } from '../prune-model.js';
import type { PruneConfig } from '../channel/prune-config.js';
import type { PruneReport } from '../channel/prune-report.js';
import { agpSchedule, stepRatios } from './agp-schedule.js';

export interface PruneIterativelyOptions {
  /** The config of every step; `ratio` is the final cumulative ratio. */
  config: PruneConfig;
  steps: number;
  /** Cumulative ratio per step (default: agpSchedule to config.ratio). */
  schedule?: readonly number[];
  /** Called after each step with the pruned model (1-based step); may return a replacement model. */
  finetune?: (model: GraphModule, step: number) => GraphModule | undefined | Promise<GraphModule | undefined> | void | Promise<void>;
  /** The pruning function (default: this package's `prune`). */
  pruneStep?: (model: GraphModule, config: PruneConfig) => PruneResult;
}

export interface IterativeResult {
  model: GraphModule;
  reports: PruneReport[];
  /** Cumulative ratio reached after each step. */
  schedule: number[];
}

/** Per-layer ratios follow the same schedule shape: cumulative r_L·(r_t / r_final), applied as step ratios. */
function scaledLayerRatios(ratios: PruneConfig['perLayerRatios'], schedule: readonly number[], index: number, final: number): Record<string, number> | undefined {
  if (!ratios) return undefined;
  const fraction = (step: number) => (step < 0 ? 0 : final > 0 ? (schedule[step] as number) / final : 1);
  return Object.fromEntries(
    Object.entries(ratios).map(([name, ratio]) => {
      const [previous, current] = [ratio * fraction(index - 1), ratio * fraction(index)];
      return [name, Math.max(0, 1 - (1 - current) / (1 - previous))];
    }),
  );
}

export async function pruneIteratively(input: GraphModule | Module<Tensor | Tensor[]>, options: PruneIterativelyOptions): Promise<IterativeResult> {
  const schedule = [...(options.schedule ?? agpSchedule({ finalRatio: options.config.ratio, steps: options.steps }))];
  let model = toGraphModule(input, options.config.exampleInputs);
  const reports: PruneReport[] = [];
  const final = schedule[schedule.length - 1] ?? options.config.ratio;
  const steps = stepRatios(schedule);
  const pruneStep = options.pruneStep ?? ((current: GraphModule, config: PruneConfig) => prune(current, config));
  for (const [index, ratio] of steps.entries()) {
    const perLayerRatios = scaledLayerRatios(options.config.perLayerRatios, schedule, index, final);
    const result = pruneStep(model, { ...options.config, ratio, ...(perLayerRatios ? { perLayerRatios } : {}) });
    model = result.model;
    reports.push(result.report);
    const replaced = await options.finetune?.(model, index + 1);
    if (replaced) model = replaced;
  }
  return { model, reports, schedule };
}
