// A residual variant of the Fashion-MNIST CNN (ResNet-style, He et al. 2016), the model on which
// channel pruning must keep residual Adds consistent: a Conv-BN-ReLU stem, two residual blocks
// (the second widens the channels with a 1×1 projection shortcut), global average pooling and
// a linear head. Like FashionCnn it takes pixels in [0, 1] and normalizes them itself.
import { BatchNorm2d, Conv2d, Flatten, GlobalAvgPool, Linear, MaxPool2d, Module, ReLU, Sequential } from '@efficientdl/nn';
import { F, Generator, type Tensor } from '@efficientdl/tensor';
import { PIXEL_MEAN, PIXEL_STD } from './model.js';

export interface FashionResidualCnnOptions {
  /** Seed of the weight initialisation (default 0). */
  seed?: number;
  /** Channels of the stem/first block and of the second block (default [16, 32]). */
  channels?: readonly [number, number];
}

function convBn(options: { inChannels: number; outChannels: number; kernelSize: number; generator: Generator }): Sequential {
  const padding = (options.kernelSize - 1) / 2;
  return new Sequential(new Conv2d({ ...options, padding }), new BatchNorm2d({ numFeatures: options.outChannels }));
}

/** relu(body(x) + shortcut(x)) with body = conv-bn-relu-conv-bn. */
export class ResidualBlock extends Module {
  readonly body: Sequential;
  readonly shortcut?: Sequential;

  constructor(options: { inChannels: number; outChannels: number; generator: Generator }) {
    super();
    const { inChannels, outChannels, generator } = options;
    this.body = this.registerModule(
      'body',
      new Sequential(
        convBn({ inChannels, outChannels, kernelSize: 3, generator }),
        new ReLU(),
        convBn({ inChannels: outChannels, outChannels, kernelSize: 3, generator }),
      ),
    );
    if (inChannels !== outChannels) this.shortcut = this.registerModule('shortcut', convBn({ inChannels, outChannels, kernelSize: 1, generator }));
  }

  // x: (N, in, H, W) → (N, out, H, W)
  forward(x: Tensor): Tensor {
    const skip = this.shortcut ? this.shortcut.call(x) : x;
    return F.relu(F.add(this.body.call(x), skip));
  }
}

export class FashionResidualCnn extends Module {
  readonly stem: Sequential;
  readonly blocks: Sequential;
  readonly head: Sequential;

  constructor(options: FashionResidualCnnOptions = {}) {
    super();
    const generator = new Generator(options.seed ?? 0);
    const [first, second] = options.channels ?? [16, 32];
    // (N, 1, 28, 28) → (N, first, 14, 14)
    this.stem = this.registerModule('stem', new Sequential(convBn({ inChannels: 1, outChannels: first, kernelSize: 3, generator }), new ReLU(), new MaxPool2d({ kernelSize: 2 })));
    // → (N, first, 14, 14) → pool (N, first, 7, 7) → (N, second, 7, 7)
    this.blocks = this.registerModule(
      'blocks',
      new Sequential(
        new ResidualBlock({ inChannels: first, outChannels: first, generator }),
        new MaxPool2d({ kernelSize: 2 }),
        new ResidualBlock({ inChannels: first, outChannels: second, generator }),
      ),
    );
    // → (N, second, 1, 1) → (N, second) → (N, 10)
    this.head = this.registerModule('head', new Sequential(new GlobalAvgPool(), new Flatten(), new Linear({ inFeatures: second, outFeatures: 10, generator })));
  }

  // pixels: (N, 1, 28, 28) in [0, 1] → logits: (N, 10)
  forward(pixels: Tensor): Tensor {
    const normalized = F.div(F.sub(pixels, PIXEL_MEAN), PIXEL_STD);
    return this.head.call(this.blocks.call(this.stem.call(normalized)));
  }
}
