// The elastic MobileNet supernet (once-for-all): every subnet of the search space shares its
// weights. setActive(config) selects kernel sizes, expand ratios, width, depths and resolution;
// forward then runs that subnet; extractSubnet(config) copies the active slices (kernel transforms
// applied, channels cut) into a standalone MobileNetSubnet that traces and exports to ONNX.
import { type InitOptions, Linear, Module, type StateDict, Sequential } from '@efficientdl/nn';
import { F, Generator, type Tensor, noGrad, runUnary } from '@efficientdl/tensor';
import { ElasticBatchNorm2d } from './elastic-batch-norm.js';
import { ElasticConvBn, ElasticInvertedResidual } from './elastic-blocks.js';
import { MobileNetSubnet } from './mobilenet-subnet.js';
import { preprocess } from './preprocess.js';
import {
  FASHION_MNIST_SPACE,
  type SearchSpace,
  type SubnetConfig,
  channelPlan,
  cloneSubnet,
  largestSubnet,
  maxOf,
  validateSearchSpace,
  validateSubnet,
} from './search-space.js';
import { type SampleOptions, sampleSubnet } from './subnet-sampling.js';

export interface SupernetOptions extends InitOptions {
  space?: SearchSpace;
  /** Seed of the weight initialisation (default 0) when no generator is given. */
  seed?: number;
}

export class MobileNetSupernet extends Module {
  readonly space: SearchSpace;
  readonly stem: ElasticConvBn;
  readonly head: ElasticConvBn;
  readonly classifier: Linear;
  private readonly stageBlocks: ElasticInvertedResidual[][];
  private active: SubnetConfig;

  constructor(options: SupernetOptions = {}) {
    super();
    const space = options.space ?? FASHION_MNIST_SPACE;
    validateSearchSpace(space);
    this.space = space;
    const generator = options.generator ?? new Generator(options.seed ?? 0);
    const widest = channelPlan(space, maxOf(space.widthMultipliers));
    this.stem = this.registerModule('stem', new ElasticConvBn({ inChannels: space.inChannels, outChannels: widest.stem, kernelSize: 3, activation: 'relu', generator }));
    const stages = new Sequential();
    this.stageBlocks = [];
    let inChannels = widest.stem;
    space.stages.forEach((stage, stageIndex) => {
      const container = new Sequential();
      const blocks: ElasticInvertedResidual[] = [];
      const outChannels = widest.stages[stageIndex] as number;
      for (let block = 0; block < stage.maxDepth; block++) {
        const elastic = new ElasticInvertedResidual({
          maxInChannels: block === 0 ? inChannels : outChannels,
          maxOutChannels: outChannels,
          kernelSizes: space.kernelSizes,
          maxExpand: maxOf(space.expandRatios),
          stride: block === 0 ? stage.stride : 1,
          activation: stage.activation,
          residual: block > 0,
          generator,
        });
        container.append(elastic);
        blocks.push(elastic);
      }
      stages.append(container);
      this.stageBlocks.push(blocks);
      inChannels = outChannels;
    });
    this.registerModule('stages', stages);
    this.head = this.registerModule('head', new ElasticConvBn({ inChannels, outChannels: space.headChannels, kernelSize: 1, activation: 'hardswish', generator }));
    this.classifier = this.registerModule('classifier', new Linear({ inFeatures: space.headChannels, outFeatures: space.classes, generator }));
    this.active = largestSubnet(space);
    this.setActive(this.active);
  }

  /** The blocks of each stage (all slots, active or not). */
  get blocks(): readonly (readonly ElasticInvertedResidual[])[] {
    return this.stageBlocks;
  }

  /** Every elastic BatchNorm (for re-calibration). */
  batchNorms(): ElasticBatchNorm2d[] {
    return [...this.modules()].filter((module): module is ElasticBatchNorm2d => module instanceof ElasticBatchNorm2d);
  }

  /** The active subnet config (a copy). */
  get activeSubnet(): SubnetConfig {
    return cloneSubnet(this.active);
  }

  /** Selects the subnet that the next forwards run. */
  setActive(config: SubnetConfig): void {
    validateSubnet(this.space, config);
    this.active = cloneSubnet(config);
    const plan = channelPlan(this.space, config.width);
    this.stem.conv.outChannels = plan.stem;
    this.stageBlocks.forEach((blocks, stage) => {
      blocks.forEach((block, index) => {
        block.configure({
          kernel: config.kernels[stage]?.[index] ?? maxOf(this.space.kernelSizes),
          expand: config.expands[stage]?.[index] ?? maxOf(this.space.expandRatios),
          outChannels: plan.stages[stage] as number,
        });
      });
    });
  }

  /** A random subnet of this supernet's space. */
  sampleSubnet(rng: Generator, options: SampleOptions = {}): SubnetConfig {
    return sampleSubnet(this.space, rng, options);
  }

  // pixels: (N, inChannels, inputSize, inputSize) in [0, 1] → logits: (N, classes)
  forward(pixels: Tensor): Tensor {
    const { space, active } = this;
    let x = preprocess(pixels, { resolution: active.resolution, mean: space.pixelMean, std: space.pixelStd });
    x = this.stem.call(x);
    this.stageBlocks.forEach((blocks, stage) => {
      for (let index = 0; index < (active.depths[stage] as number); index++) x = (blocks[index] as ElasticInvertedResidual).call(x);
    });
    x = this.head.call(x); // (N, head, h, w)
    const pooled = F.flatten(runUnary('GlobalAveragePool', [x]), 1); // (N, head)
    return this.classifier.call(pooled);
  }

  /** The active slices of every layer of `config`, keyed by MobileNetSubnet's parameter names. */
  private subnetState(config: SubnetConfig): StateDict {
    const plan = channelPlan(this.space, config.width);
    let state: StateDict = this.stem.activeState(this.space.inChannels, 'stem');
    let inChannels = plan.stem;
    this.stageBlocks.forEach((blocks, stage) => {
      for (let index = 0; index < (config.depths[stage] as number); index++) {
        state = { ...state, ...(blocks[index] as ElasticInvertedResidual).activeState(inChannels, `stages.${stage}.${index}`) };
        inChannels = plan.stages[stage] as number;
      }
    });
    state = { ...state, ...this.head.activeState(inChannels, 'head') };
    state['classifier.weight'] = (this.classifier.weight as Tensor).data;
    state['classifier.bias'] = (this.classifier.bias as Tensor).data;
    return state;
  }

  /** A standalone copy of a subnet (default: the active one) with its current weights and BN statistics. */
  extractSubnet(config: SubnetConfig = this.active): MobileNetSubnet {
    const previous = this.active;
    const subnet = new MobileNetSubnet({ space: this.space, config: cloneSubnet(config) });
    try {
      this.setActive(config);
      noGrad(() => subnet.loadStateDict(this.subnetState(config)));
    } finally {
      this.setActive(previous);
    }
    subnet.train(this.training);
    return subnet;
  }
}
