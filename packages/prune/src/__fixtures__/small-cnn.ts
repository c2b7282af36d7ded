// Test fixture: a small nn CNN (conv-bn-relu-pool ×2, flatten, linear) on 12×12 single-channel
// images, traced into a GraphModule the way prune() does.
import { BatchNorm2d, Conv2d, Flatten, type GraphModule, Linear, MaxPool2d, Module, ReLU, Sequential } from '@efficientdl/nn';
import { Generator, type Tensor } from '@efficientdl/tensor';
import { toGraphModule } from '../channel/prune.js';
import { randomInput } from './graph-builder.js';

export class SmallCnn extends Module {
  readonly features: Sequential;
  readonly classifier: Sequential;

  constructor(seed = 0) {
    super();
    const generator = new Generator(seed);
    this.features = this.registerModule(
      'features',
      new Sequential(
        new Conv2d({ inChannels: 1, outChannels: 8, kernelSize: 3, padding: 1, generator }),
        new BatchNorm2d({ numFeatures: 8 }),
        new ReLU(),
        new MaxPool2d({ kernelSize: 2 }),
        new Conv2d({ inChannels: 8, outChannels: 16, kernelSize: 3, padding: 1, generator }),
        new BatchNorm2d({ numFeatures: 16 }),
        new ReLU(),
        new MaxPool2d({ kernelSize: 2 }),
      ),
    );
    this.classifier = this.registerModule('classifier', new Sequential(new Flatten(), new Linear({ inFeatures: 16 * 3 * 3, outFeatures: 5, generator })));
  }

  // x: (N, 1, 12, 12) → (N, 5)
  forward(x: Tensor): Tensor {
    return this.classifier.call(this.features.call(x));
  }
}

export const SMALL_INPUT = [1, 1, 12, 12] as const;

export function smallCnnModule(seed = 0): GraphModule {
  return toGraphModule(new SmallCnn(seed), [randomInput(SMALL_INPUT, seed + 100)]);
}

/** Overwrites elements of a parameter whose index along `axis` is in `indices` with `value`. */
export function setSlices(model: GraphModule, name: string, axis: number, indices: readonly number[], value: number): void {
  const tensor = model.getParameter(name) as Tensor;
  const shape = tensor.shape;
  const inner = shape.slice(axis + 1).reduce((product, dim) => product * dim, 1);
  const size = shape[axis] as number;
  const values = tensor.data.data as Float32Array;
  for (let flat = 0; flat < values.length; flat++) if (indices.includes(Math.floor(flat / inner) % size)) values[flat] = value;
}
