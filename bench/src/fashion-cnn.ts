// The Fashion-MNIST CNN of apps/fashion-mnist/src/model.ts, re-declared here from @efficientdl/nn
// layers because apps are not libraries. Keep the two in step: two conv blocks (conv 3×3 pad 1 →
// BatchNorm → ReLU → maxpool 2) and a linear head, pixels normalized inside forward().
import { BatchNorm2d, Conv2d, Flatten, Linear, MaxPool2d, Module, ReLU, Sequential } from '@efficientdl/nn';
import { F, Generator, type Tensor } from '@efficientdl/tensor';

const PIXEL_MEAN = 0.286;
const PIXEL_STD = 0.353;

export class FashionCnn extends Module {
  readonly features: Sequential;
  readonly classifier: Sequential;

  constructor(options: { seed?: number } = {}) {
    super();
    const generator = new Generator(options.seed ?? 0);
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
    this.classifier = this.registerModule('classifier', new Sequential(new Flatten(), new Linear({ inFeatures: 32 * 7 * 7, outFeatures: 10, generator })));
  }

  // pixels: (N, 1, 28, 28) in [0, 1] → logits: (N, 10)
  forward(pixels: Tensor): Tensor {
    const normalized = F.div(F.sub(pixels, PIXEL_MEAN), PIXEL_STD);
    return this.classifier.call(this.features.call(normalized)) as Tensor;
  }
}
