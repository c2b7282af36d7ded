// Elastic convolutions with weight sharing (once-for-all). ElasticConv2d (groups 1): the weight
// is sized for the widest subnet and a subnet uses its top-left (outChannels, inChannels) corner.
// ElasticDepthwiseConv2d: one largest kernel per channel; a smaller kernel is the centre crop of
// the next larger effective kernel followed by a learned linear transform of the crop
// (k²×k², initialised to the identity, shared by all channels), e.g. 7×7 → 5×5 → 3×3.
import { ConfigError, ShapeError, formatShape, fromNumbers } from '@efficientdl/ir';
import { F, Tensor, runUnary } from '@efficientdl/tensor';
import { type InitOptions, Module, kaimingUniform } from '@efficientdl/nn';

export interface ElasticConvOptions extends InitOptions {
  maxInChannels: number;
  maxOutChannels: number;
  kernelSize: number;
  stride?: number;
}

export class ElasticConv2d extends Module {
  readonly maxInChannels: number;
  readonly maxOutChannels: number;
  readonly kernelSize: number;
  readonly stride: number;
  /** Output channels of the active subnet (set by the supernet). */
  outChannels: number;

  constructor(options: ElasticConvOptions) {
    super();
    this.maxInChannels = options.maxInChannels;
    this.maxOutChannels = options.maxOutChannels;
    this.kernelSize = options.kernelSize;
    this.stride = options.stride ?? 1;
    this.outChannels = options.maxOutChannels;
    // weight: (maxOut, maxIn, k, k)
    this.registerParameter('weight', kaimingUniform([this.maxOutChannels, this.maxInChannels, this.kernelSize, this.kernelSize], options));
  }

  /** weight[:outChannels, :inChannels]: (outChannels, inChannels, k, k). */
  activeWeight(inChannels: number, outChannels: number): Tensor {
    const weight = this.getParameter('weight') as Tensor;
    if (inChannels === this.maxInChannels && outChannels === this.maxOutChannels) return weight;
    return F.slice(weight, [0, 0], [outChannels, inChannels], [0, 1]);
  }

  // x: (N, C ≤ maxIn, H, W) → (N, outChannels, H', W')
  forward(x: Tensor): Tensor {
    const inChannels = x.shape[1] as number;
    if (x.rank !== 4 || inChannels > this.maxInChannels || this.outChannels > this.maxOutChannels) {
      throw new ShapeError(`ElasticConv2d: input ${formatShape(x.shape)} / ${this.outChannels} outputs exceed (${this.maxInChannels} → ${this.maxOutChannels})`, { op: 'Conv' });
    }
    const pad = (this.kernelSize - 1) / 2;
    return runUnary('Conv', [x, this.activeWeight(inChannels, this.outChannels)], {
      kernel_shape: [this.kernelSize, this.kernelSize],
      strides: [this.stride, this.stride],
      pads: [pad, pad, pad, pad],
    });
  }
}

function identityMatrix(size: number): Tensor {
  const values = new Float32Array(size * size);
  for (let index = 0; index < size; index++) values[index * size + index] = 1;
  return new Tensor(fromNumbers('float32', [size, size], values));
}

export interface ElasticDepthwiseOptions extends InitOptions {
  maxChannels: number;
  /** Kernel sizes the layer can run with (odd). */
  kernelSizes: readonly number[];
  stride?: number;
}

export class ElasticDepthwiseConv2d extends Module {
  readonly maxChannels: number;
  readonly kernelSizes: readonly number[];
  readonly stride: number;
  /** Kernel size of the active subnet (set by the supernet). */
  kernelSize: number;

  constructor(options: ElasticDepthwiseOptions) {
    super();
    this.maxChannels = options.maxChannels;
    this.kernelSizes = [...options.kernelSizes].sort((a, b) => b - a);
    this.stride = options.stride ?? 1;
    const largest = this.kernelSizes[0] as number;
    this.kernelSize = largest;
    // weight: (maxChannels, 1, K, K) for the largest K
    this.registerParameter('weight', kaimingUniform([this.maxChannels, 1, largest, largest], options));
    for (const size of this.kernelSizes.slice(1)) this.registerParameter(`transform_${size}`, identityMatrix(size * size));
  }

  /** Effective (channels, 1, k, k) kernel: crop-and-transform down from the largest kernel. */
  activeWeight(channels: number, kernelSize: number): Tensor {
    if (!this.kernelSizes.includes(kernelSize)) {
      throw new ConfigError(`ElasticDepthwiseConv2d: kernel ${kernelSize} not in [${this.kernelSizes.join(', ')}]`);
    }
    const full = this.getParameter('weight') as Tensor;
    let weight = channels === this.maxChannels ? full : F.slice(full, [0], [channels], [0]);
    let current = this.kernelSizes[0] as number;
    for (const size of this.kernelSizes.slice(1)) {
      if (size < kernelSize) break;
      const offset = (current - size) / 2;
      const crop = F.slice(weight, [offset, offset], [offset + size, offset + size], [2, 3]); // (C, 1, size, size)
      const transform = this.getParameter(`transform_${size}`) as Tensor; // (size², size²)
      weight = F.reshape(F.matmul(F.reshape(crop, [channels, size * size]), transform), [channels, 1, size, size]);
      current = size;
    }
    return weight;
  }

  // x: (N, C ≤ maxChannels, H, W) → (N, C, H', W')
  forward(x: Tensor): Tensor {
    const channels = x.shape[1] as number;
    if (x.rank !== 4 || channels > this.maxChannels) {
      throw new ShapeError(`ElasticDepthwiseConv2d: expected (N, ≤${this.maxChannels}, H, W), got ${formatShape(x.shape)}`, { op: 'Conv' });
    }
    const pad = (this.kernelSize - 1) / 2;
    return runUnary('Conv', [x, this.activeWeight(channels, this.kernelSize)], {
      kernel_shape: [this.kernelSize, this.kernelSize],
      strides: [this.stride, this.stride],
      pads: [pad, pad, pad, pad],
      group: channels,
    });
  }
}
