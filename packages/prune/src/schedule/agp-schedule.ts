// Ratio schedules for iterative pruning. AGP (Zhu & Gupta 2017, "To prune, or not to prune"):
// r_t = r_final + (r_initial − r_final)·(1 − t/n)³ — prunes fast early, slowly near the end.
import { ConfigError } from '@efficientdl/ir';
import { checkRatio } from '../channel/prune-config.js';

export interface AgpScheduleOptions {
  finalRatio: number;
  steps: number;
  /** Default 0. */
  initialRatio?: number;
  /** Default 3 (cubic). */
  power?: number;
}

/** The cumulative ratio after each of `steps` steps (the last equals finalRatio). */
export function agpSchedule(options: AgpScheduleOptions): number[] {
  const initial = checkRatio(options.initialRatio ?? 0, 'agpSchedule: initialRatio');
  const final = checkRatio(options.finalRatio, 'agpSchedule: finalRatio');
  const power = options.power ?? 3;
  if (!Number.isInteger(options.steps) || options.steps < 1) throw new ConfigError(`agpSchedule: steps must be a positive integer, got ${options.steps}`);
  if (!(power > 0)) throw new ConfigError(`agpSchedule: power must be > 0, got ${power}`);
  return Array.from({ length: options.steps }, (_, index) => final + (initial - final) * (1 - (index + 1) / options.steps) ** power);
}

/** Evenly spaced cumulative ratios (the linear schedule). */
export function linearSchedule(options: { finalRatio: number; steps: number }): number[] {
  return agpSchedule({ ...options, power: 1 });
}

/**
 * The ratio to apply to the already-pruned model at each step so that the cumulative ratios
 * are reached: keep_t = (1 − r_t) / (1 − r_{t−1}).
 */
export function stepRatios(cumulative: readonly number[]): number[] {
  return cumulative.map((ratio, index) => {
    const previous = index === 0 ? 0 : (cumulative[index - 1] as number);
    return Math.max(0, 1 - (1 - ratio) / (1 - previous));
  });
}
