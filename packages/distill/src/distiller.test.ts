// Tests for Distiller and fitDistiller: parameters are the student's, the teacher stays frozen and
// in eval mode, and a few steps of distillation from a fixed random teacher reduce the KD loss.
import { DataLoader, Dropout, Linear, ReLU, SGD, Sequential, TensorDataset } from '@efficientdl/nn';
import { F, Generator, randn } from '@efficientdl/tensor';
import { describe, expect, it } from 'vitest';
import { distillationLoss } from './distillation-loss.js';
import { Distiller } from './distiller.js';
import { fitDistiller } from './fit-distiller.js';

function makeModels(seed: number): { teacher: Sequential; student: Linear; generator: Generator } {
  const generator = new Generator(seed);
  const teacher = new Sequential(
    new Linear({ inFeatures: 6, outFeatures: 16, generator }),
    new ReLU(),
    new Dropout({ p: 0.5 }),
    new Linear({ inFeatures: 16, outFeatures: 4, generator }),
  );
  const student = new Linear({ inFeatures: 6, outFeatures: 4, generator });
  return { teacher, student, generator };
}

describe('Distiller', () => {
  it('exposes only the student parameters and keeps the teacher in eval mode', () => {
    const { teacher, student } = makeModels(1);
    const distiller = new Distiller({ teacher, student });
    expect([...distiller.parameters()]).toEqual([...student.parameters()]);
    expect(Object.keys(distiller.stateDict())).toEqual(['student.weight', 'student.bias']);
    distiller.train();
    expect(student.training).toBe(true);
    expect(teacher.training).toBe(false);
  });

  it('forward returns the student logits; gradients reach the student only', () => {
    const { teacher, student, generator } = makeModels(2);
    const distiller = new Distiller({ teacher, student, temperature: 3, alpha: 0.3 });
    const x = randn([5, 6], { generator });
    expect(distiller.call(x).toArray()).toEqual(student.call(x).toArray());
    const targets = F.tensor([0, 1, 2, 3, 0], [5], 'int64');
    const loss = distiller.loss(x, targets);
    const expected = distillationLoss(student.call(x), teacher.call(x), targets, { temperature: 3, alpha: 0.3 });
    expect(loss.item()).toBeCloseTo(expected.item(), 6);
    loss.backward();
    for (const parameter of student.parameters()) expect(parameter.grad).toBeDefined();
    for (const parameter of teacher.parameters()) expect(parameter.grad).toBeUndefined();
  });

  it('distilling a student from a fixed random teacher for a few steps reduces the KD loss', () => {
    const { teacher, student, generator } = makeModels(3);
    const distiller = new Distiller({ teacher, student, alpha: 0 });
    const x = randn([64, 6], { generator });
    const targets = F.zeros([64], 'int64');
    const optimizer = new SGD(distiller.parameters(), { lr: 0.5 });
    const before = distiller.loss(x, targets).item();
    for (let step = 0; step < 30; step++) {
      optimizer.zeroGrad();
      distiller.loss(x, targets).backward();
      optimizer.step();
    }
    const after = distiller.loss(x, targets).item();
    expect(after).toBeLessThan(0.7 * before);
  });

  it('plugs into fit through fitDistiller', async () => {
    const { teacher, student, generator } = makeModels(4);
    const distiller = new Distiller({ teacher, student, alpha: 0 });
    const x = randn([48, 6], { generator });
    const targets = F.zeros([48], 'int64');
    const loader = new DataLoader(new TensorDataset(x, targets), { batchSize: 16, shuffle: true, seed: 1 });
    const optimizer = new SGD(distiller.parameters(), { lr: 0.5 });
    const result = await fitDistiller({ distiller, optimizer, trainLoader: loader, epochs: 8, progress: 'none', epochSummary: false });
    const losses = result.history.map((record) => record.loss);
    expect(losses.length).toBe(8);
    expect(losses[7] as number).toBeLessThan(0.7 * (losses[0] as number));
    expect(teacher.training).toBe(false);
  });
});
