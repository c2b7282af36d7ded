// Linear (fully connected) layer: y = x Wᵀ + b (torch.nn.Linear), as ONNX Gemm for 2-D inputs
// and MatMul + Add otherwise. Weight (outFeatures, inFeatures), bias (outFeatures).
import { ShapeError, formatShape } from '@efficientdl/ir';
import { F, type Tensor } from '@efficientdl/tensor';
import { type InitOptions, biasUniform, kaimingUniform } from '../init.js';
import { Module } from '../module.js';

export interface LinearOptions extends InitOptions {
  inFeatures: number;
  outFeatures: number;
  /** Add a learnable bias (default true). */
  bias?: boolean;
}

export class Linear extends Module {
  readonly inFeatures: number;
  readonly outFeatures: number;

  constructor(options: LinearOptions) {
    super();
    this.inFeatures = options.inFeatures;
    this.outFeatures = options.outFeatures;
    // weight: (outFeatures, inFeatures)
    this.registerParameter('weight', kaimingUniform([this.outFeatures, this.inFeatures], options));
    if (options.bias !== false) this.registerParameter('bias', biasUniform(this.outFeatures, this.inFeatures, options));
  }

  get weight(): Tensor {
    return this.getParameter('weight') as Tensor;
  }

  get bias(): Tensor | undefined {
    return this.getParameter('bias');
  }

  // x: (..., inFeatures) → (..., outFeatures)
  forward(x: Tensor): Tensor {
    if (x.shape[x.rank - 1] !== this.inFeatures) {
      throw new ShapeError(`Linear: input ${formatShape(x.shape)} does not end in inFeatures ${this.inFeatures}`, {
        op: 'Linear',
        shape: [...x.shape],
      });
    }
    const { weight, bias } = this;
    if (x.rank === 2) return F.gemm(x, weight, bias, { transB: true });
    const product = F.matmul(x, F.transpose(weight, [1, 0]));
    return bias ? F.add(product, bias) : product;
  }

  override describe(): string {
    return `Linear(${this.inFeatures} → ${this.outFeatures}${this.bias ? '' : ', no bias'})`;
  }
}
