// LayerNorm (torch.nn.LayerNorm) as ONNX LayerNormalization over the trailing normalizedShape
// axes: y = (x − mean) / √(var + eps) · weight + bias.
import { ShapeError, formatShape } from '@efficientdl/ir';
import { F, type Tensor, runUnary } from '@efficientdl/tensor';
import { Module } from '../module.js';

export interface LayerNormOptions {
  /** The trailing dims to normalize over, e.g. [768] or [C, H, W]. */
  normalizedShape: number | readonly number[];
  eps?: number;
  /** Learnable per-element weight and bias (default true). */
  elementwiseAffine?: boolean;
  /** Learnable bias when affine (default true). */
  bias?: boolean;
}

export class LayerNorm extends Module {
  readonly normalizedShape: number[];
  readonly eps: number;

  constructor(options: LayerNormOptions) {
    super();
    this.normalizedShape = typeof options.normalizedShape === 'number' ? [options.normalizedShape] : [...options.normalizedShape];
    this.eps = options.eps ?? 1e-5;
    if (options.elementwiseAffine !== false) {
      this.registerParameter('weight', F.ones(this.normalizedShape));
      if (options.bias !== false) this.registerParameter('bias', F.zeros(this.normalizedShape));
    }
  }

  // x: (..., *normalizedShape) → same shape
  forward(x: Tensor): Tensor {
    const count = this.normalizedShape.length;
    const trailing = x.shape.slice(x.rank - count);
    if (x.rank < count || trailing.some((dim, index) => dim !== this.normalizedShape[index])) {
      throw new ShapeError(
        `LayerNorm: input ${formatShape(x.shape)} does not end in normalizedShape ${formatShape(this.normalizedShape)}`,
        { op: 'LayerNormalization', shape: [...x.shape] },
      );
    }
    const scale = this.getParameter('weight') ?? F.ones(this.normalizedShape);
    return runUnary('LayerNormalization', [x, scale, this.getParameter('bias')], { axis: -count, epsilon: this.eps });
  }

  override describe(): string {
    return `LayerNorm(${formatShape(this.normalizedShape)}, eps ${this.eps})`;
  }
}
