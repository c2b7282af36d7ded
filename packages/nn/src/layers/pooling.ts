// Pooling layers (torch.nn.MaxPool2d / AvgPool2d / AdaptiveAvgPool2d) as ONNX MaxPool,
// AveragePool and GlobalAveragePool. AvgPool2d counts padding like PyTorch (count_include_pad 1).
import { ConfigError, ShapeError, formatShape } from '@efficientdl/ir';
import { type Tensor, runUnary } from '@efficientdl/tensor';
import { Module } from '../module.js';
import { type Pair, pair } from './conv2d.js';

export interface Pool2dOptions {
  kernelSize: Pair;
  /** Default: kernelSize. */
  stride?: Pair;
  padding?: Pair;
  /** Round the output size up instead of down (default false). */
  ceilMode?: boolean;
}

function poolAttributes(options: Pool2dOptions): { kernel_shape: number[]; strides: number[]; pads: number[]; ceil_mode: number } {
  const kernel = pair(options.kernelSize);
  const [padH, padW] = pair(options.padding ?? 0);
  return {
    kernel_shape: kernel,
    strides: pair(options.stride ?? options.kernelSize),
    pads: [padH, padW, padH, padW],
    ceil_mode: options.ceilMode ? 1 : 0,
  };
}

function checkRank4(layer: string, x: Tensor): void {
  if (x.rank !== 4) {
    throw new ShapeError(`${layer}: expected input (N, C, H, W), got ${formatShape(x.shape)}`, { op: layer, shape: [...x.shape] });
  }
}

export class MaxPool2d extends Module {
  private readonly attributes: ReturnType<typeof poolAttributes> & { dilations: number[] };

  constructor(options: Pool2dOptions & { dilation?: Pair }) {
    super();
    this.attributes = { ...poolAttributes(options), dilations: pair(options.dilation ?? 1) };
  }

  // x: (N, C, H, W) → (N, C, H', W')
  forward(x: Tensor): Tensor {
    checkRank4('MaxPool2d', x);
    return runUnary('MaxPool', [x], this.attributes);
  }

  override describe(): string {
    return `MaxPool2d(${this.attributes.kernel_shape.join('×')}, stride ${this.attributes.strides.join('×')})`;
  }
}

export class AvgPool2d extends Module {
  private readonly attributes: ReturnType<typeof poolAttributes> & { count_include_pad: number };

  constructor(options: Pool2dOptions & { countIncludePad?: boolean }) {
    super();
    this.attributes = { ...poolAttributes(options), count_include_pad: options.countIncludePad === false ? 0 : 1 };
  }

  // x: (N, C, H, W) → (N, C, H', W')
  forward(x: Tensor): Tensor {
    checkRank4('AvgPool2d', x);
    return runUnary('AveragePool', [x], this.attributes);
  }

  override describe(): string {
    return `AvgPool2d(${this.attributes.kernel_shape.join('×')}, stride ${this.attributes.strides.join('×')})`;
  }
}

/** Global average pooling: (N, C, H, W) → (N, C, 1, 1). */
export class GlobalAvgPool extends Module {
  forward(x: Tensor): Tensor {
    checkRank4('GlobalAvgPool', x);
    return runUnary('GlobalAveragePool', [x]);
  }
}

/**
 * AdaptiveAvgPool2d: output size 1 is GlobalAveragePool; other sizes need the input to be a
 * multiple of the output (then it is an AveragePool with kernel = stride = input / output).
 */
export class AdaptiveAvgPool2d extends Module {
  readonly outputSize: [number, number];

  constructor(options: { outputSize: Pair }) {
    super();
    this.outputSize = pair(options.outputSize);
  }

  // x: (N, C, H, W) → (N, C, outH, outW)
  forward(x: Tensor): Tensor {
    checkRank4('AdaptiveAvgPool2d', x);
    const [outH, outW] = this.outputSize;
    if (outH === 1 && outW === 1) return runUnary('GlobalAveragePool', [x]);
    const height = x.shape[2] as number;
    const width = x.shape[3] as number;
    if (height % outH !== 0 || width % outW !== 0) {
      throw new ConfigError(
        `AdaptiveAvgPool2d: input ${formatShape(x.shape)} is not a multiple of output size ${outH}×${outW} (only exact multiples are supported)`,
      );
    }
    const kernel = [height / outH, width / outW];
    return runUnary('AveragePool', [x], { kernel_shape: kernel, strides: kernel });
  }

  override describe(): string {
    return `AdaptiveAvgPool2d(${this.outputSize.join('×')})`;
  }
}
