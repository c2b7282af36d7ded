// Per-op profile of Fashion-MNIST CNN training steps at batch 64 (forward, crossEntropy,
// backward, AdamW step) on random pixels. Wraps the engine's backend so every backend.run is
// timed and summed by op name; prints a table plus the engine/autograd overhead outside kernels.
// Run after building the packages: `node apps/fashion-mnist/scripts/profile-step.mjs [--steps 20]`.
import { AdamW, crossEntropy } from '@efficientdl/nn';
import { F, Generator, getBackend, rand, setBackend } from '@efficientdl/tensor';
import { FashionCnn } from '../dist/index.js';

const argumentIndex = process.argv.indexOf('--steps');
const steps = argumentIndex >= 0 ? Number(process.argv[argumentIndex + 1]) : 20;
const batchSize = 64;

/** Backend wrapper summing milliseconds and calls per op name. */
function profilingBackend(inner) {
  const totals = new Map();
  const wrapper = {
    name: `${inner.name}+profile`,
    supports: (...args) => inner.supports(...args),
    upload: (...args) => inner.upload(...args),
    download: (...args) => inner.download(...args),
    run(node, inputs, outputCount) {
      const start = performance.now();
      const outputs = inner.run(node, inputs, outputCount);
      const elapsed = performance.now() - start;
      const key = node.domain ? `${node.domain}::${node.op}` : node.op;
      const entry = totals.get(key) ?? { milliseconds: 0, calls: 0 };
      entry.milliseconds += elapsed;
      entry.calls += 1;
      totals.set(key, entry);
      return outputs;
    },
  };
  return { wrapper, totals };
}


const generator = new Generator(1);
const model = new FashionCnn({ seed: 0 });
const optimizer = new AdamW(model.parameters(), { lr: 1e-3, weightDecay: 1e-4 });
const pixels = rand([batchSize, 1, 28, 28], { generator });
const targets = F.tensor(
  Array.from({ length: batchSize }, (_, index) => index % 10),
  [batchSize],
  'int64',
);

function trainStep() {
  optimizer.zeroGrad();
  const loss = crossEntropy(model.call(pixels), targets);
  loss.backward();
  optimizer.step();
  return loss;
}

for (let warmup = 0; warmup < 3; warmup++) trainStep();
const { wrapper, totals } = profilingBackend(getBackend());
setBackend(wrapper);
const start = performance.now();
for (let step = 0; step < steps; step++) trainStep();
const total = performance.now() - start;

const rows = [...totals.entries()].sort((a, b) => b[1].milliseconds - a[1].milliseconds);
const kernelTotal = rows.reduce((sum, [, entry]) => sum + entry.milliseconds, 0);
console.log(`${steps} steps at batch ${batchSize}: ${(total / steps).toFixed(1)} ms/step`);
console.log('op                                  ms/step   calls/step   share');
for (const [op, entry] of rows) {
  console.log(
    `${op.padEnd(34)} ${(entry.milliseconds / steps).toFixed(2).padStart(8)} ${(entry.calls / steps).toFixed(1).padStart(11)} ${((100 * entry.milliseconds) / total).toFixed(1).padStart(6)}%`,
  );
}
console.log(`${'kernels total'.padEnd(34)} ${(kernelTotal / steps).toFixed(2).padStart(8)}`);
console.log(`${'outside kernels (engine, autograd, optimizer)'.padEnd(34)} ${((total - kernelTotal) / steps).toFixed(2).padStart(8)}`);
console.log(`extrapolated epoch (938 steps): ${((total / steps) * 938 / 1000).toFixed(1)} s`);
