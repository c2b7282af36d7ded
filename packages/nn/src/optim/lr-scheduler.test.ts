// LR schedules against their closed forms at hand-picked steps (PyTorch's documented formulas).
import { fromNumbers } from '@efficientdl/ir';
import { Tensor } from '@efficientdl/tensor';
import { describe, expect, it } from 'vitest';
import { CosineAnnealingLR, OneCycleLR, StepLR } from './lr-scheduler.js';
import { SGD } from './sgd.js';

const optimizer = (lr: number) => new SGD([new Tensor(fromNumbers('float32', [1], [0])).requireGrad()], { lr });

function lrs(scheduler: { step(): void; lr: number }, steps: number): number[] {
  const result = [scheduler.lr];
  for (let step = 0; step < steps; step++) {
    scheduler.step();
    result.push(scheduler.lr);
  }
  return result;
}

describe('LR schedulers', () => {
  it('StepLR multiplies by gamma every stepSize epochs and writes the optimizer lr', () => {
    const sgd = optimizer(1);
    const scheduler = new StepLR(sgd, { stepSize: 2, gamma: 0.5 });
    expect(lrs(scheduler, 5)).toEqual([1, 1, 0.5, 0.5, 0.25, 0.25]);
    expect(sgd.lr).toBe(0.25);
  });

  it('CosineAnnealingLR: base at 0, midpoint at tMax/2, etaMin at tMax', () => {
    const scheduler = new CosineAnnealingLR(optimizer(0.1), { tMax: 10, etaMin: 0.01 });
    const values = lrs(scheduler, 10);
    expect(values[0]).toBeCloseTo(0.1, 12);
    expect(values[5]).toBeCloseTo(0.055, 12);
    expect(values[10]).toBeCloseTo(0.01, 12);
    expect(values[2]).toBeCloseTo(0.01 + 0.09 * (1 + Math.cos(Math.PI / 5)) / 2, 12);
  });

  it('OneCycleLR: maxLr/25 → maxLr at 30% → maxLr/25/1e4 at the end', () => {
    const sgd = optimizer(123);
    const scheduler = new OneCycleLR(sgd, { maxLr: 1, totalSteps: 101 });
    expect(sgd.lr).toBeCloseTo(0.04, 12);
    const values = lrs(scheduler, 100);
    const peak = 0.3 * 101 - 1; // 29.3
    expect(values[0]).toBeCloseTo(0.04, 12);
    expect(values[29]).toBeCloseTo(0.04 + (0.96 / 2) * (1 - Math.cos((Math.PI * 29) / peak)), 10);
    expect(Math.max(...values)).toBeLessThanOrEqual(1);
    expect(values[100]).toBeCloseTo(0.04 / 1e4, 12);
    for (let index = 30; index < 100; index++) expect(values[index + 1] as number).toBeLessThan(values[index] as number);
    expect(scheduler.interval).toBe('step');
  });

  it('round-trips its state', () => {
    const first = new StepLR(optimizer(1), { stepSize: 1, gamma: 0.1 });
    first.step();
    first.step();
    const sgd = optimizer(1);
    const second = new StepLR(sgd, { stepSize: 1, gamma: 0.1 });
    second.loadStateDict(first.stateDict());
    expect(second.lr).toBeCloseTo(0.01, 12);
    expect(sgd.lr).toBeCloseTo(0.01, 12);
  });
});
