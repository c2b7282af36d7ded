// The Fashion-MNIST classifier: two conv blocks (conv 3×3 pad 1 → BatchNorm → ReLU → maxpool 2)
// and a linear head. Inputs are pixels in [0, 1]; the model normalizes them itself with the
// Fashion-MNIST training-set mean and std, so callers never have to.
import {
  BatchNorm2d,
  Conv2d,
  Flatten,
  Linear,
  MaxPool2d,
  Module,
  ReLU,
  Sequential,
} from '@efficientdl/nn';
import { F, Generator, type Tensor } from '@efficientdl/tensor';

/** Mean and standard deviation of the Fashion-MNIST training pixels (scaled to [0, 1]). */
export const PIXEL_MEAN = 0.286;
export const PIXEL_STD = 0.353;

export const CLASS_NAMES = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
] as const;

export interface FashionCnnOptions {
  /** Seed of the weight initialisation (default 0). */
  seed?: number;
  /** Output channels of the two conv blocks (default [16, 32]; a ¼-width student is [4, 8]). */
  channels?: readonly [number, number];
}

export class FashionCnn extends Module {
  readonly features: Sequential;
  readonly classifier: Sequential;

  constructor(options: FashionCnnOptions = {}) {
    super();
    const generator = new Generator(options.seed ?? 0);
    const [first, second] = options.channels ?? [16, 32];
    this.features = this.registerModule(
      'features',
      new Sequential(
        new Conv2d({ inChannels: 1, outChannels: first, kernelSize: 3, padding: 1, generator }), // (N, first, 28, 28)
        new BatchNorm2d({ numFeatures: first }),
        new ReLU(),
        new MaxPool2d({ kernelSize: 2 }), // (N, first, 14, 14)
        new Conv2d({ inChannels: first, outChannels: second, kernelSize: 3, padding: 1, generator }), // (N, second, 14, 14)
        new BatchNorm2d({ numFeatures: second }),
        new ReLU(),
        new MaxPool2d({ kernelSize: 2 }), // (N, second, 7, 7)
      ),
    );
    this.classifier = this.registerModule(
      'classifier',
      new Sequential(new Flatten(), new Linear({ inFeatures: second * 7 * 7, outFeatures: 10, generator })),
    );
  }

  // pixels: (N, 1, 28, 28) in [0, 1] → logits: (N, 10)
  forward(pixels: Tensor): Tensor {
    const normalized = F.div(F.sub(pixels, PIXEL_MEAN), PIXEL_STD);
    return this.classifier.call(this.features.call(normalized));
  }
}
