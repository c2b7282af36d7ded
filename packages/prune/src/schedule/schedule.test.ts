// AGP schedule against its closed form, step ratios reaching the cumulative targets, and the
// iterative loop calling finetune after every step.
import { ConfigError } from '@efficientdl/ir';
import type { GraphModule } from '@efficientdl/nn';
import { describe, expect, it } from 'vitest';
import { smallCnnModule } from '../__fixtures__/small-cnn.js';
import { agpSchedule, linearSchedule, stepRatios } from './agp-schedule.js';
import { pruneIteratively } from './prune-iteratively.js';

describe('schedules', () => {
  it('follows r_f + (r_i − r_f)(1 − t/n)³ and ends at the final ratio', () => {
    const schedule = agpSchedule({ finalRatio: 0.8, steps: 4 });
    const expected = [1, 2, 3, 4].map((step) => 0.8 - 0.8 * (1 - step / 4) ** 3);
    schedule.forEach((ratio, index) => expect(ratio).toBeCloseTo(expected[index] as number, 12));
    expect(schedule[0]).toBeCloseTo(0.8 * (1 - 0.75 ** 3), 12);
    expect(linearSchedule({ finalRatio: 0.6, steps: 3 }).map((ratio) => Number(ratio.toFixed(10)))).toEqual([0.2, 0.4, 0.6]);
    expect(() => agpSchedule({ finalRatio: 1, steps: 2 })).toThrow(ConfigError);
    expect(() => agpSchedule({ finalRatio: 0.5, steps: 0 })).toThrow(/steps/);
  });

  it('turns cumulative ratios into ratios of the remaining channels', () => {
    const steps = stepRatios([0.5, 0.75]);
    expect(steps[0]).toBeCloseTo(0.5, 12);
    expect(steps[1]).toBeCloseTo(0.5, 12); // half of the remaining half
  });

  it('prunes step by step, fine-tuning after each', async () => {
    const seen: [number, number][] = [];
    const result = await pruneIteratively(smallCnnModule(), {
      config: { ratio: 0.5 },
      steps: 2,
      schedule: [0.25, 0.5],
      finetune: (model: GraphModule, step) => {
        seen.push([step, model.getParameter('features.4.weight')?.shape[0] as number]);
      },
    });
    expect(seen).toEqual([
      [1, 12],
      [2, 8],
    ]);
    expect(result.reports).toHaveLength(2);
    expect(result.model.getParameter('features.0.weight')?.shape[0]).toBe(4);
  });
});
