// Shape checks and geometry shared by MaxPool, AveragePool and their gradients:
// X: (N, C, D1, …) with 1 to 3 spatial dims, kernel_shape required, ceil_mode honoured.
// reference: https://onnx.ai/onnx/operators/onnx__MaxPool.html
import type { Attributes, StaticShape } from '@efficientdl/ir';
import type { KernelContext } from '../../kernel-registry.js';
import { type SpatialGeometry, liftGeometry, resolveGeometry } from '../convolution/spatial-geometry.js';
import { intAttribute, intsAttribute, shapeError } from '../linear/kernel-helpers.js';

export interface PoolSetup {
  /** N·C planes pooled independently. */
  readonly planes: number;
  readonly geometry: SpatialGeometry;
  /** The geometry lifted to (D, H, W). */
  readonly lifted: ReturnType<typeof liftGeometry>;
  readonly outputShape: StaticShape;
}

export function poolSetup(xShape: StaticShape, attrs: Attributes, context: KernelContext): PoolSetup {
  const rank = xShape.length - 2;
  const kernelSize = intsAttribute(attrs, 'kernel_shape');
  if (rank < 1 || rank > 3) throw shapeError(context, 'X must be (N, C, D1, …) with 1 to 3 spatial dims', [xShape]);
  if (!kernelSize || kernelSize.length !== rank) {
    throw shapeError(context, `kernel_shape ${JSON.stringify(kernelSize ?? [])} must have one entry per spatial dim`, [xShape]);
  }
  const geometry = resolveGeometry({
    context,
    attrs,
    inputSize: xShape.slice(2),
    kernelSize,
    ceilMode: intAttribute(attrs, 'ceil_mode', 0) !== 0,
  });
  const [batch, channels] = xShape as [number, number];
  return { planes: batch * channels, geometry, lifted: liftGeometry(geometry), outputShape: [batch, channels, ...geometry.outputSize] };
}
