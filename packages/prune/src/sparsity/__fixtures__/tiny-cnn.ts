// Test fixture of the sparsity tests: a tiny nn CNN (conv 3×3 pad 1 → BN → ReLU → conv 3×3 →
// ReLU → flatten → linear) on (N, 2, 6, 6) inputs, seeded inputs and labels, and helpers to
// read a weight as its (outputs, reduction) matrix.
import { type TensorData, fromNumbers, tensorData } from '@efficientdl/ir';
import { BatchNorm2d, Conv2d, Flatten, Linear, Module, ReLU, Sequential } from '@efficientdl/nn';
import { Generator, Tensor } from '@efficientdl/tensor';

export class TinyCnn extends Module {
  readonly features: Sequential;
  readonly head: Linear;

  constructor(seed = 0) {
    super();
    const generator = new Generator(seed);
    this.features = this.registerModule(
      'features',
      new Sequential(
        new Conv2d({ inChannels: 2, outChannels: 4, kernelSize: 3, padding: 1, generator }), // (N, 4, 6, 6)
        new BatchNorm2d({ numFeatures: 4 }),
        new ReLU(),
        new Conv2d({ inChannels: 4, outChannels: 8, kernelSize: 3, generator }), // (N, 8, 4, 4)
        new ReLU(),
        new Flatten(),
      ),
    );
    this.head = this.registerModule('head', new Linear({ inFeatures: 128, outFeatures: 5, generator }));
  }

  // x: (N, 2, 6, 6) → (N, 5)
  forward(x: Tensor): Tensor {
    return this.head.call(this.features.call(x));
  }
}

/** Seeded inputs (N, 2, 6, 6) in [-1, 1) and labels in [0, 5). */
export function tinyBatch(batch: number, seed: number): { inputs: Tensor; targets: Tensor } {
  const generator = new Generator(seed);
  const values = Float32Array.from({ length: batch * 72 }, () => generator.random() * 2 - 1);
  const labels = Array.from({ length: batch }, () => generator.randomInt(5));
  return { inputs: new Tensor(tensorData('float32', [batch, 2, 6, 6], values)), targets: new Tensor(fromNumbers('int64', [batch], labels)) };
}

/** A byte copy of every parameter and buffer, keyed by name (compare with toEqual). */
export function snapshot(model: Module): Map<string, Uint8Array> {
  return new Map(
    [...model.namedTensors()].map(([name, tensor]) => {
      const storage = tensor.data.data;
      return [name, new Uint8Array(storage.buffer, storage.byteOffset, storage.byteLength).slice()];
    }),
  );
}

/** Rows (output units) of a weight stored (rows, …), each as its reduction vector. */
export function weightRows(data: TensorData | Tensor): Float32Array[] {
  const tensor = data instanceof Tensor ? data.data : data;
  const rows = tensor.shape[0] as number;
  const cols = tensor.data.length / rows;
  return Array.from({ length: rows }, (_, row) => (tensor.data as Float32Array).slice(row * cols, (row + 1) * cols));
}
