// A standalone MobileNet-style network for one subnet config, built from ordinary nn layers
// (Conv2d, BatchNorm2d, Linear): what extractSubnet fills with the supernet's weights, what a
// hand-designed baseline trains from scratch, and what traces and exports to ONNX.
// Parameter names match the supernet's (`stages.0.1.depthwise.conv.weight`).
import { BatchNorm2d, Conv2d, type InitOptions, Linear, Module, Sequential } from '@efficientdl/nn';
import { F, Generator, type Tensor, runUnary } from '@efficientdl/tensor';
import { preprocess } from './preprocess.js';
import { type Activation, type SearchSpace, type SubnetConfig, channelPlan, hiddenChannels, validateSubnet } from './search-space.js';

export type BlockActivation = Activation | 'none';

export function activate(x: Tensor, activation: BlockActivation): Tensor {
  if (activation === 'relu') return F.relu(x);
  if (activation === 'hardswish') return F.hardSwish(x);
  return x;
}

export interface ConvBnActOptions extends InitOptions {
  inChannels: number;
  outChannels: number;
  kernelSize: number;
  stride?: number;
  groups?: number;
  activation: BlockActivation;
}

/** conv (no bias) → BatchNorm → activation. */
export class ConvBnAct extends Module {
  readonly conv: Conv2d;
  readonly bn: BatchNorm2d;
  readonly activation: BlockActivation;

  constructor(options: ConvBnActOptions) {
    super();
    const { inChannels, outChannels, kernelSize, groups, generator } = options;
    const padding = (kernelSize - 1) / 2;
    this.conv = this.registerModule(
      'conv',
      new Conv2d({ inChannels, outChannels, kernelSize, stride: options.stride ?? 1, padding, groups, bias: false, generator }),
    );
    this.bn = this.registerModule('bn', new BatchNorm2d({ numFeatures: options.outChannels }));
    this.activation = options.activation;
  }

  // x: (N, in, H, W) → (N, out, H', W')
  forward(x: Tensor): Tensor {
    return activate(this.bn.call(this.conv.call(x)), this.activation);
  }
}

export interface InvertedResidualOptions extends InitOptions {
  inChannels: number;
  outChannels: number;
  hiddenChannels: number;
  kernelSize: number;
  stride: number;
  activation: Activation;
  residual: boolean;
}

/** expand 1×1 → depthwise k×k → project 1×1 (linear), plus the input when `residual`. */
export class InvertedResidual extends Module {
  readonly residual: boolean;

  constructor(options: InvertedResidualOptions) {
    super();
    const { inChannels, hiddenChannels: hidden, outChannels, activation, generator } = options;
    this.residual = options.residual;
    this.registerModule('expand', new ConvBnAct({ inChannels, outChannels: hidden, kernelSize: 1, activation, generator }));
    this.registerModule(
      'depthwise',
      new ConvBnAct({ inChannels: hidden, outChannels: hidden, kernelSize: options.kernelSize, stride: options.stride, groups: hidden, activation, generator }),
    );
    this.registerModule('project', new ConvBnAct({ inChannels: hidden, outChannels, kernelSize: 1, activation: 'none', generator }));
  }

  // x: (N, in, H, W) → (N, out, H / stride, W / stride)
  forward(x: Tensor): Tensor {
    const part = (name: string) => this.getModule(name) as ConvBnAct;
    const y = part('project').call(part('depthwise').call(part('expand').call(x)));
    return this.residual ? F.add(y, x) : y;
  }
}

export interface MobileNetSubnetOptions {
  space: SearchSpace;
  config: SubnetConfig;
  /** Seed of the weight initialisation (default 0). */
  seed?: number;
}

export class MobileNetSubnet extends Module {
  readonly space: SearchSpace;
  readonly config: SubnetConfig;

  constructor(options: MobileNetSubnetOptions) {
    super();
    const { space, config } = options;
    validateSubnet(space, config);
    this.space = space;
    this.config = config;
    const generator = new Generator(options.seed ?? 0);
    const plan = channelPlan(space, config.width);
    this.registerModule('stem', new ConvBnAct({ inChannels: space.inChannels, outChannels: plan.stem, kernelSize: 3, activation: 'relu', generator }));
    const stages = new Sequential();
    let inChannels = plan.stem;
    space.stages.forEach((stage, stageIndex) => {
      const blocks = new Sequential();
      const outChannels = plan.stages[stageIndex] as number;
      for (let block = 0; block < (config.depths[stageIndex] as number); block++) {
        const expand = config.expands[stageIndex]?.[block] as number;
        blocks.append(
          new InvertedResidual({
            inChannels,
            outChannels,
            hiddenChannels: hiddenChannels(inChannels, expand),
            kernelSize: config.kernels[stageIndex]?.[block] as number,
            stride: block === 0 ? stage.stride : 1,
            activation: stage.activation,
            residual: block > 0,
            generator,
          }),
        );
        inChannels = outChannels;
      }
      stages.append(blocks);
    });
    this.registerModule('stages', stages);
    this.registerModule('head', new ConvBnAct({ inChannels, outChannels: space.headChannels, kernelSize: 1, activation: 'hardswish', generator }));
    this.registerModule('classifier', new Linear({ inFeatures: space.headChannels, outFeatures: space.classes, generator }));
  }

  // pixels: (N, inChannels, inputSize, inputSize) in [0, 1] → logits: (N, classes)
  forward(pixels: Tensor): Tensor {
    const { space, config } = this;
    let x = preprocess(pixels, { resolution: config.resolution, mean: space.pixelMean, std: space.pixelStd });
    x = (this.getModule('stem') as Module).call(x);
    for (const stage of this.getModule('stages') as Sequential) x = (stage as Sequential).call(x);
    x = (this.getModule('head') as Module).call(x); // (N, head, h, w)
    const pooled = F.flatten(runUnary('GlobalAveragePool', [x]), 1); // (N, head)
    return (this.getModule('classifier') as Module).call(pooled);
  }
}
