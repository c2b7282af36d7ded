// Whole-model workloads of the Fashion-MNIST CNN (apps/fashion-mnist's FashionCnn): inference of the traced
// eval-mode graph (runGraph on host engines, compile() on onnxruntime), and one training step
// (forward + cross-entropy + backward + AdamW step) on backend-cpu, the one backend that trains.
import { analyzeCost, fromNumbers } from '@efficientdl/ir';
import { AdamW, crossEntropy } from '@efficientdl/nn';
import { Tensor, getBackend, setBackend, trace } from '@efficientdl/tensor';
import { FashionCnn } from '@efficientdl/app-fashion-mnist';
import { graphWorkload } from './graph-workload.js';
import { randomFloat32 } from './random-data.js';
import type { Workload } from './workload-types.js';

/** Pixels in [0, 1): (N, 1, 28, 28). */
function pixels(batch: number) {
  const data = randomFloat32([batch, 1, 28, 28], 21);
  const values = data.data as Float32Array;
  for (let index = 0; index < values.length; index++) values[index] = (values[index] as number) + 0.5;
  return data;
}

function tracedCnn(batch: number) {
  const model = new FashionCnn({ seed: 0 }).eval();
  return trace(model, [new Tensor(pixels(batch))], { name: `fashion_cnn_b${batch}`, inputNames: ['pixels'], outputNames: ['logits'] });
}

export function cnnInferenceWorkload(batch: number): Workload {
  const description = `Fashion-MNIST CNN inference (eval mode, traced graph), pixels (${batch}, 1, 28, 28) → logits (${batch}, 10)`;
  return graphWorkload(`fmnist-cnn-infer-b${batch}`, description, () => ({ graph: tracedCnn(batch), feeds: { pixels: pixels(batch) } }));
}

const TRAINING_ONLY_ON_CPU = 'no training here (inference-only backend)';

export function cnnTrainingWorkload(batch: number): Workload {
  const description = `Fashion-MNIST CNN training step, batch ${batch}: forward + cross-entropy + backward + AdamW step (FLOPs ≈ 3 × forward)`;
  return {
    name: `fmnist-cnn-train-b${batch}`,
    description,
    setup: () => ({
      flops: 3 * 2 * analyzeCost(tracedCnn(batch)).macs,
      engines: {
        'cpu-ref': "training uses backend-cpu's default kernels only (its gradient kernels have no reference switch)",
        cpu: async (engines) => {
          const backend = engines.cpu;
          if (!backend) throw new Error("engine 'cpu' was not created");
          const previous = getBackend();
          setBackend(backend);
          const model = new FashionCnn({ seed: 0 }).train();
          const optimizer = new AdamW(model.parameters(), { lr: 1e-3, weightDecay: 1e-4 });
          const inputs = new Tensor(pixels(batch));
          const targets = new Tensor(fromNumbers('int64', [batch], Array.from({ length: batch }, (_, index) => (index * 7) % 10)));
          return {
            run: () => {
              setBackend(backend);
              optimizer.zeroGrad();
              const loss = crossEntropy(model.call(inputs) as Tensor, targets);
              loss.backward();
              optimizer.step();
            },
            dispose: () => setBackend(previous),
          };
        },
        'tfjs-wasm': TRAINING_ONLY_ON_CPU,
        onnxruntime: TRAINING_ONLY_ON_CPU,
      },
    }),
  };
}
