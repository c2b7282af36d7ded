// Per-op profile of Fashion-MNIST CNN training steps at batch 64 (forward, crossEntropy,
// backward, AdamW step) on random pixels. Wraps the engine's backend so every backend.run is
// timed and summed by op name; prints a table plus the engine/autograd overhead outside kernels.
// Run after building the packages: `node apps/fashion-mnist/scripts/profile-step.mjs [--steps 20]`.
import { AdamW, BatchNorm2d, Conv2d, Flatten, Linear, MaxPool2d, Module, ReLU, Sequential, crossEntropy } from '@efficientdl/nn';
import { F, Generator, getBackend, rand, setBackend } from '@efficientdl/tensor';

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

/** The same architecture as src/model.ts (FashionCnn), built from the packages' dist. */
class FashionCnnProfileModel extends Module {
  constructor(seed) {
    super();
    const generator = new Generator(seed);
    this.features = this.registerModule(
      'features',
      new Sequential(
        new Conv2d({ inChannels: 1, outChannels: 16, kernelSize: 3, padding: 1, generator }), // (N, 16, 28, 28)
        new BatchNorm2d({ numFeatures: 16 }),
        new ReLU(),
        new MaxPool2d({ kernelSize: 2 }), // (N, 16, 14, 14)
        new Conv2d({ inChannels: 16, outChannels: 32, kernelSize: 3, padding: 1, generator }), // (N, 32, 14, 14)
        new BatchNorm2d({ numFeatures: 32 }),
        new ReLU(),
        new MaxPool2d({ kernelSize: 2 }), // (N, 32, 7, 7)
      ),
    );
    this.classifier = this.registerModule(
      'classifier',
      new Sequential(new Flatten(), new Linear({ inFeatures: 32 * 7 * 7, outFeatures: 10, generator })),
    );
  }

  // pixels: (N, 1, 28, 28) → logits: (N, 10)
  forward(pixels) {
    const normalized = F.div(F.sub(pixels, 0.286), 0.353);
    return this.classifier.call(this.features.call(normalized));
  }
}

const generator = new Generator(1);
const model = new FashionCnnProfileModel(0);
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
