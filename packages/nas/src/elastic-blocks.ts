// The supernet's building blocks: an elastic conv + elastic BatchNorm + activation unit, and the
// elastic inverted-residual block (expand 1×1 → depthwise k×k → project 1×1) whose kernel size,
// expand ratio and output width are set by the supernet before each forward.
import type { StateDict } from '@efficientdl/nn';
import { Module } from '@efficientdl/nn';
import { F, type Generator, type Tensor } from '@efficientdl/tensor';
import { fromNumbers } from '@efficientdl/ir';
import { ElasticBatchNorm2d } from './elastic-batch-norm.js';
import { ElasticConv2d, ElasticDepthwiseConv2d } from './elastic-conv.js';
import { type BlockActivation, activate } from './mobilenet-subnet.js';
import { type Activation, hiddenChannels } from './search-space.js';

/** Copies of the BatchNorm2d state of the first `channels` channels, under `prefix`. */
function batchNormState(bn: ElasticBatchNorm2d, channels: number, prefix: string): StateDict {
  const state: StateDict = {};
  for (const name of ['weight', 'bias', 'running_mean', 'running_var'] as const) state[`${prefix}.${name}`] = bn.activeTensor(name, channels).data;
  state[`${prefix}.num_batches_tracked`] = fromNumbers('int64', [], [0]);
  return state;
}

/** ElasticConv2d → ElasticBatchNorm2d → activation. */
export class ElasticConvBn extends Module {
  readonly conv: ElasticConv2d;
  readonly bn: ElasticBatchNorm2d;
  readonly activation: BlockActivation;

  constructor(options: { inChannels: number; outChannels: number; kernelSize: number; stride?: number; activation: BlockActivation; generator: Generator }) {
    super();
    const { inChannels, outChannels, kernelSize, stride, generator } = options;
    this.conv = this.registerModule('conv', new ElasticConv2d({ maxInChannels: inChannels, maxOutChannels: outChannels, kernelSize, stride, generator }));
    this.bn = this.registerModule('bn', new ElasticBatchNorm2d(outChannels));
    this.activation = options.activation;
  }

  // x: (N, C ≤ maxIn, H, W) → (N, conv.outChannels, H', W')
  forward(x: Tensor): Tensor {
    return activate(this.bn.call(this.conv.call(x)), this.activation);
  }

  /** Weights of the active slice as a standalone ConvBnAct's state (`prefix.conv.weight`, `prefix.bn.*`). */
  activeState(inChannels: number, prefix: string): StateDict {
    const outChannels = this.conv.outChannels;
    return { [`${prefix}.conv.weight`]: this.conv.activeWeight(inChannels, outChannels).data, ...batchNormState(this.bn, outChannels, `${prefix}.bn`) };
  }
}

/** ElasticDepthwiseConv2d → ElasticBatchNorm2d → activation. */
export class ElasticDepthwiseBn extends Module {
  readonly conv: ElasticDepthwiseConv2d;
  readonly bn: ElasticBatchNorm2d;
  readonly activation: Activation;

  constructor(options: { channels: number; kernelSizes: readonly number[]; stride: number; activation: Activation; generator: Generator }) {
    super();
    const { channels, kernelSizes, stride, generator } = options;
    this.conv = this.registerModule('conv', new ElasticDepthwiseConv2d({ maxChannels: channels, kernelSizes, stride, generator }));
    this.bn = this.registerModule('bn', new ElasticBatchNorm2d(channels));
    this.activation = options.activation;
  }

  // x: (N, C, H, W) → (N, C, H / stride, W / stride)
  forward(x: Tensor): Tensor {
    return activate(this.bn.call(this.conv.call(x)), this.activation);
  }

  activeState(channels: number, prefix: string): StateDict {
    return { [`${prefix}.conv.weight`]: this.conv.activeWeight(channels, this.conv.kernelSize).data, ...batchNormState(this.bn, channels, `${prefix}.bn`) };
  }
}

export interface ElasticBlockOptions {
  maxInChannels: number;
  maxOutChannels: number;
  kernelSizes: readonly number[];
  maxExpand: number;
  stride: number;
  activation: Activation;
  residual: boolean;
  generator: Generator;
}

export interface BlockSetting {
  kernel: number;
  expand: number;
  outChannels: number;
}

export class ElasticInvertedResidual extends Module {
  readonly residual: boolean;
  readonly expand: ElasticConvBn;
  readonly depthwise: ElasticDepthwiseBn;
  readonly project: ElasticConvBn;
  private setting: BlockSetting;

  constructor(options: ElasticBlockOptions) {
    super();
    const { maxInChannels, maxOutChannels, activation, generator } = options;
    const maxHidden = hiddenChannels(maxInChannels, options.maxExpand);
    this.residual = options.residual;
    this.expand = this.registerModule('expand', new ElasticConvBn({ inChannels: maxInChannels, outChannels: maxHidden, kernelSize: 1, activation, generator }));
    this.depthwise = this.registerModule(
      'depthwise',
      new ElasticDepthwiseBn({ channels: maxHidden, kernelSizes: options.kernelSizes, stride: options.stride, activation, generator }),
    );
    this.project = this.registerModule('project', new ElasticConvBn({ inChannels: maxHidden, outChannels: maxOutChannels, kernelSize: 1, activation: 'none', generator }));
    this.setting = { kernel: this.depthwise.conv.kernelSize, expand: options.maxExpand, outChannels: maxOutChannels };
  }

  /** Chooses kernel size, expand ratio and output channels for the next forwards. */
  configure(setting: BlockSetting): void {
    this.setting = { ...setting };
    this.depthwise.conv.kernelSize = setting.kernel;
    this.project.conv.outChannels = setting.outChannels;
  }

  // x: (N, C, H, W) → (N, outChannels, H / stride, W / stride)
  forward(x: Tensor): Tensor {
    this.expand.conv.outChannels = hiddenChannels(x.shape[1] as number, this.setting.expand);
    const y = this.project.call(this.depthwise.call(this.expand.call(x)));
    return this.residual ? F.add(y, x) : y;
  }

  /** The active slice as a standalone InvertedResidual's state, for an input of `inChannels`. */
  activeState(inChannels: number, prefix: string): StateDict {
    const hidden = hiddenChannels(inChannels, this.setting.expand);
    this.expand.conv.outChannels = hidden;
    return {
      ...this.expand.activeState(inChannels, `${prefix}.expand`),
      ...this.depthwise.activeState(hidden, `${prefix}.depthwise`),
      ...this.project.activeState(hidden, `${prefix}.project`),
    };
  }
}
