// `distill-experiment --data <dir>`: issue [F]'s KD check. Trains the full CNN (teacher), then a
// ¼-width student (channels [4, 8]) for the same epochs and seeds twice — from scratch and with
// knowledge distillation from the teacher — and prints both test accuracies per seed and their
// means. With --student-limit N both students train on the first N images only (the teacher on all).
// LAST line: `kd: 0.XXXX, scratch: 0.XXXX, gain: +X.XX pt (mean of N seeds)`.
import { parseArgs } from 'node:util';
import { loadFashionMnist } from './datasets.js';
import { runPipeline } from './pipeline.js';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      data: { type: 'string' },
      epochs: { type: 'string', default: '2' },
      'teacher-epochs': { type: 'string', default: '3' },
      seeds: { type: 'string', default: '0,1,2' },
      limit: { type: 'string' },
      'student-limit': { type: 'string' },
      temperature: { type: 'string', default: '4' },
      alpha: { type: 'string', default: '0.5' },
    },
  });
  if (!values.data) throw new Error('usage: distill-experiment --data <Fashion-MNIST folder> [--epochs 2] [--teacher-epochs 3] [--seeds 0,1,2] [--limit N] [--student-limit N] [--temperature 4] [--alpha 0.5]');
  const limit = values.limit === undefined ? undefined : Number(values.limit);
  const { train, test } = await loadFashionMnist(values.data, { limit });
  const common = { train, test, batchSize: 64, lr: 2e-3, progress: 'none' as const };
  const teacherRun = await runPipeline({ ...common, epochs: Number(values['teacher-epochs']), seed: 100 });
  console.log(`teacher (channels [16, 32]): test accuracy ${teacherRun.testAccuracy.toFixed(4)}`);
  // the students (scratch and KD alike) may see only the first N training images: KD's use case
  // of a teacher trained on more data than the student's labelled budget
  const studentTrain = values['student-limit'] === undefined ? train : train.slice(0, Number(values['student-limit']));
  const seeds = (values.seeds ?? '0').split(',').map(Number);
  const epochs = Number(values.epochs);
  const results: { scratch: number; kd: number }[] = [];
  for (const seed of seeds) {
    const student = { ...common, train: studentTrain, epochs, seed, channels: [4, 8] as const };
    const scratch = (await runPipeline(student)).testAccuracy;
    const kd = (await runPipeline({ ...student, teacher: teacherRun.model, distillation: { temperature: Number(values.temperature), alpha: Number(values.alpha) } })).testAccuracy;
    results.push({ scratch, kd });
    console.log(`seed ${seed}: student from scratch ${scratch.toFixed(4)}, with KD ${kd.toFixed(4)}`);
  }
  const mean = (pick: (entry: { scratch: number; kd: number }) => number) => results.reduce((sum, entry) => sum + pick(entry), 0) / results.length;
  const [kd, scratch] = [mean((entry) => entry.kd), mean((entry) => entry.scratch)];
  const gain = (kd - scratch) * 100;
  console.log(`kd: ${kd.toFixed(4)}, scratch: ${scratch.toFixed(4)}, gain: ${gain >= 0 ? '+' : ''}${gain.toFixed(2)} pt (mean of ${results.length} seeds)`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
  process.exitCode = 1;
});
