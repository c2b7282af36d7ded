// 2-D convolution (torch.nn.Conv2d) as ONNX Conv: stride, padding (number, [h, w] or 'same'),
// dilation, groups (depthwise when groups = inChannels), optional bias.
// Weight (outChannels, inChannels / groups, kernelH, kernelW).
import { ConfigError, ShapeError, formatShape } from '@efficientdl/ir';
import { type Tensor, runUnary } from '@efficientdl/tensor';
import { type InitOptions, biasUniform, fanIn, kaimingUniform } from '../init.js';
import { Module } from '../module.js';

export type Pair = number | readonly [number, number];

export interface Conv2dOptions extends InitOptions {
  inChannels: number;
  outChannels: number;
  kernelSize: Pair;
  stride?: Pair;
  /** Zero padding per side, or 'same' (stride 1 only; extra padding goes bottom/right as PyTorch). */
  padding?: Pair | 'same' | 'valid';
  dilation?: Pair;
  groups?: number;
  bias?: boolean;
}

export function pair(value: Pair): [number, number] {
  return typeof value === 'number' ? [value, value] : [value[0], value[1]];
}

/** Explicit ONNX pads [top, left, bottom, right] for a Conv2d padding option. */
export function convPads(options: { padding: Pair | 'same' | 'valid'; kernel: [number, number]; dilation: [number, number]; stride: [number, number] }): number[] {
  const { padding, kernel, dilation, stride } = options;
  if (padding === 'valid') return [0, 0, 0, 0];
  if (padding === 'same') {
    if (stride[0] !== 1 || stride[1] !== 1) {
      throw new ConfigError(`Conv2d: padding 'same' needs stride 1, got [${stride.join(', ')}]`);
    }
    const totalH = dilation[0] * (kernel[0] - 1);
    const totalW = dilation[1] * (kernel[1] - 1);
    const top = Math.floor(totalH / 2);
    const left = Math.floor(totalW / 2);
    return [top, left, totalH - top, totalW - left];
  }
  const [padH, padW] = pair(padding);
  return [padH, padW, padH, padW];
}

export class Conv2d extends Module {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly dilation: [number, number];
  readonly groups: number;
  readonly pads: number[];

  constructor(options: Conv2dOptions) {
    super();
    this.inChannels = options.inChannels;
    this.outChannels = options.outChannels;
    this.kernelSize = pair(options.kernelSize);
    this.stride = pair(options.stride ?? 1);
    this.dilation = pair(options.dilation ?? 1);
    this.groups = options.groups ?? 1;
    if (this.inChannels % this.groups !== 0 || this.outChannels % this.groups !== 0) {
      throw new ConfigError(
        `Conv2d: groups ${this.groups} must divide inChannels ${this.inChannels} and outChannels ${this.outChannels}`,
      );
    }
    this.pads = convPads({ padding: options.padding ?? 0, kernel: this.kernelSize, dilation: this.dilation, stride: this.stride });
    // weight: (outChannels, inChannels / groups, kernelH, kernelW)
    const weightShape = [this.outChannels, this.inChannels / this.groups, ...this.kernelSize];
    this.registerParameter('weight', kaimingUniform(weightShape, options));
    if (options.bias !== false) this.registerParameter('bias', biasUniform(this.outChannels, fanIn(weightShape), options));
  }

  get weight(): Tensor {
    return this.getParameter('weight') as Tensor;
  }

  get bias(): Tensor | undefined {
    return this.getParameter('bias');
  }

  // x: (N, inChannels, H, W) → (N, outChannels, H', W')
  forward(x: Tensor): Tensor {
    if (x.rank !== 4 || x.shape[1] !== this.inChannels) {
      throw new ShapeError(`Conv2d: expected input (N, ${this.inChannels}, H, W), got ${formatShape(x.shape)}`, {
        op: 'Conv',
        shape: [...x.shape],
      });
    }
    return runUnary('Conv', [x, this.weight, this.bias], {
      kernel_shape: this.kernelSize,
      strides: this.stride,
      pads: this.pads,
      dilations: this.dilation,
      group: this.groups,
    });
  }

  override describe(): string {
    const [kernelH, kernelW] = this.kernelSize;
    return `Conv2d(${this.inChannels} → ${this.outChannels}, ${kernelH}×${kernelW}, stride ${this.stride.join('×')}, pads [${this.pads.join(', ')}]${this.groups > 1 ? `, groups ${this.groups}` : ''})`;
  }
}
