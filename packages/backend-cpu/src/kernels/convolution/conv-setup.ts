// Shape checks and geometry for Conv and the conv gradient ops: validates X: (N, C, D1, …) and
// W: (M, C/group, k1, …), resolves pads/strides/dilations, and maps 1-D/2-D problems onto
// the fast 2-D path's Conv2dShape.
import type { Attributes, StaticShape } from '@efficientdl/ir';
import type { Conv2dShape } from '../../fast/conv2d.js';
import type { KernelContext } from '../../kernel-registry.js';
import { intAttribute, intsAttribute, shapeError } from '../linear/kernel-helpers.js';
import { type SpatialGeometry, resolveGeometry } from './spatial-geometry.js';

export interface ConvSetup {
  readonly batch: number;
  readonly inChannels: number;
  readonly outChannels: number;
  readonly group: number;
  readonly geometry: SpatialGeometry;
  readonly outputShape: StaticShape;
}

/** Validates X/W shapes against group and kernel_shape and resolves the geometry. */
export function convSetup(xShape: StaticShape, wShape: StaticShape, attrs: Attributes, context: KernelContext): ConvSetup {
  const rank = xShape.length - 2;
  if (rank < 1 || rank > 3 || wShape.length !== xShape.length) {
    throw shapeError(context, 'X must be (N, C, D1, …) with 1 to 3 spatial dims and W of the same rank', [xShape, wShape]);
  }
  const group = intAttribute(attrs, 'group', 1);
  const [batch, inChannels] = xShape as [number, number];
  const outChannels = wShape[0] as number;
  if (group < 1 || inChannels % group !== 0 || outChannels % group !== 0 || (wShape[1] as number) * group !== inChannels) {
    throw shapeError(context, `channels do not match group=${group}: W must be (M, C/group, …) with M divisible by group`, [xShape, wShape]);
  }
  const kernelSize = wShape.slice(2);
  const declared = intsAttribute(attrs, 'kernel_shape');
  if (declared?.some((size, axis) => size !== kernelSize[axis])) {
    throw shapeError(context, `kernel_shape ${JSON.stringify(declared)} disagrees with W`, [wShape]);
  }
  const geometry = resolveGeometry({ context, attrs, inputSize: xShape.slice(2), kernelSize });
  return { batch, inChannels, outChannels, group, geometry, outputShape: [batch, outChannels, ...geometry.outputSize] };
}

/** The fast path's 2-D view of a 1-D or 2-D setup (1-D becomes height 1). */
export function toConv2dShape(setup: ConvSetup): Conv2dShape {
  const g = setup.geometry;
  const twoD = g.inputSize.length === 2;
  const pick = (values: readonly number[], fill: number): [number, number] => (twoD ? [values[0] as number, values[1] as number] : [fill, values[0] as number]);
  const [inHeight, inWidth] = pick(g.inputSize, 1);
  const [kernelHeight, kernelWidth] = pick(g.kernelSize, 1);
  const [strideHeight, strideWidth] = pick(g.strides, 1);
  const [dilationHeight, dilationWidth] = pick(g.dilations, 1);
  const [padTop, padLeft] = pick(g.padsBegin, 0);
  const [outHeight, outWidth] = pick(g.outputSize, 1);
  return {
    batch: setup.batch,
    inChannels: setup.inChannels,
    outChannels: setup.outChannels,
    group: setup.group,
    inHeight, inWidth, kernelHeight, kernelWidth, strideHeight, strideWidth,
    dilationHeight, dilationWidth, padTop, padLeft, outHeight, outWidth,
  };
}
