// A small traced CNN for quantization tests: conv → BatchNorm → ReLU → maxpool → conv → ReLU →
// flatten → linear → ReLU → linear, with BatchNorm statistics from a few training-mode batches,
// and seeded calibration / test batches of pixels in [0, 1].
import { type Graph, type TensorData, toNumberArray } from '@efficientdl/ir';
import { BatchNorm2d, Conv2d, Flatten, Linear, MaxPool2d, ReLU, Sequential } from '@efficientdl/nn';
import { randomTensorData } from '@efficientdl/test-utils';
import { Generator, Tensor, noGrad, runGraph, trace, zeros } from '@efficientdl/tensor';

export function smallCnnGraph(): Graph {
  const generator = new Generator(3);
  const model = new Sequential(
    new Conv2d({ inChannels: 1, outChannels: 6, kernelSize: 3, padding: 1, generator }), // (N, 6, 8, 8)
    new BatchNorm2d({ numFeatures: 6 }),
    new ReLU(),
    new MaxPool2d({ kernelSize: 2 }), // (N, 6, 4, 4)
    new Conv2d({ inChannels: 6, outChannels: 8, kernelSize: 3, padding: 1, generator }), // (N, 8, 4, 4)
    new ReLU(),
    new Flatten(),
    new Linear({ inFeatures: 128, outFeatures: 16, generator }),
    new ReLU(),
    new Linear({ inFeatures: 16, outFeatures: 5, generator }),
  );
  model.train();
  noGrad(() => {
    for (let step = 0; step < 3; step++) model.call(new Tensor(randomTensorData([8, 1, 8, 8], { seed: 50 + step, low: 0, high: 1 })));
  });
  model.eval();
  return trace(model, [zeros([1, 1, 8, 8])], { name: 'small_cnn', inputNames: ['pixels'], outputNames: ['logits'], dynamicBatch: true });
}

/** `count` batches of (batch, 1, 8, 8) pixels in [0, 1]. */
export function pixelBatches(count: number, batch: number, seed: number): TensorData[] {
  return Array.from({ length: count }, (_, index) => randomTensorData([batch, 1, 8, 8], { seed: seed + index, low: 0, high: 1 }));
}

/** The graph's logits for a pixels batch, run through the tensor engine (backend-cpu by default). */
export function logitsOf(graph: Graph, pixels: TensorData): Float64Array {
  const outputs = noGrad(() => runGraph(graph, { pixels }));
  return toNumberArray((outputs.logits as Tensor).data);
}

/** Fraction of rows whose argmax agrees. */
export function argmaxAgreement(first: Float64Array, second: Float64Array, classes: number): number {
  const argmax = (values: Float64Array, row: number) => {
    let best = 0;
    for (let column = 1; column < classes; column++) if ((values[row * classes + column] as number) > (values[row * classes + best] as number)) best = column;
    return best;
  };
  const rows = first.length / classes;
  let agree = 0;
  for (let row = 0; row < rows; row++) if (argmax(first, row) === argmax(second, row)) agree++;
  return agree / rows;
}
