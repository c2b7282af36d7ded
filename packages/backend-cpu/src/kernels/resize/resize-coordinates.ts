// Resize's per-axis math: output sizes from scales or sizes (with keep_aspect_ratio_policy),
// the coordinate_transformation_mode mapping from an output index to an input coordinate,
// and the nearest_mode rounding rules.
// reference: https://onnx.ai/onnx/operators/onnx__Resize.html

export interface AxisResize {
  readonly inSize: number;
  readonly outSize: number;
  readonly scale: number;
  readonly roiStart: number;
  readonly roiEnd: number;
}

/** Input coordinate of output index `x` on one axis. */
export function originalCoordinate(mode: string, axis: AxisResize, x: number): number {
  const { inSize, outSize, scale } = axis;
  switch (mode) {
    case 'asymmetric':
      return x / scale;
    case 'align_corners': {
      // The resized length is scale · inSize (not rounded), as in ONNX's reference implementation.
      const resizedLength = scale * inSize;
      return outSize === 1 || resizedLength === 1 ? 0 : (x * (inSize - 1)) / (resizedLength - 1);
    }
    case 'pytorch_half_pixel':
      return outSize > 1 ? (x + 0.5) / scale - 0.5 : 0;
    case 'half_pixel_symmetric': {
      const adjustment = outSize / (scale * inSize);
      const offset = (inSize / 2) * (1 - adjustment);
      return offset + (x + 0.5) / scale - 0.5;
    }
    case 'tf_crop_and_resize':
      return outSize > 1
        ? axis.roiStart * (inSize - 1) + (x * (axis.roiEnd - axis.roiStart) * (inSize - 1)) / (outSize - 1)
        : 0.5 * (axis.roiStart + axis.roiEnd) * (inSize - 1);
    default:
      return (x + 0.5) / scale - 0.5; // half_pixel
  }
}

/** nearest_mode rounding of an input coordinate to an index. */
export function nearestIndex(mode: string, coordinate: number): number {
  switch (mode) {
    case 'round_prefer_ceil':
      return Math.floor(coordinate + 0.5);
    case 'floor':
      return Math.floor(coordinate);
    case 'ceil':
      return Math.ceil(coordinate);
    default:
      return Math.ceil(coordinate - 0.5); // round_prefer_floor
  }
}

/** Output sizes and effective scales for the resized axes. */
export function resizeAxes(options: {
  inShape: readonly number[];
  axes: readonly number[];
  scales?: readonly number[];
  sizes?: readonly number[];
  roi?: readonly number[];
  policy: string;
}): AxisResize[] {
  const { inShape, axes, scales, sizes, roi, policy } = options;
  const count = axes.length;
  let sizeTargets = sizes ? [...sizes] : undefined;
  if (sizes && policy !== 'stretch') {
    const ratios = axes.map((axis, index) => (sizes[index] as number) / (inShape[axis] as number));
    const scale = policy === 'not_larger' ? Math.min(...ratios) : Math.max(...ratios);
    sizeTargets = axes.map((axis) => Math.round(scale * (inShape[axis] as number)));
    return axes.map((axis, index) => axisResize(inShape[axis] as number, sizeTargets?.[index] as number, scale, roi, index, count));
  }
  return axes.map((axis, index) => {
    const inSize = inShape[axis] as number;
    const roiStart = roi?.[index] ?? 0;
    const roiEnd = roi?.[index + count] ?? 1;
    if (sizeTargets) return axisResize(inSize, sizeTargets[index] as number, (sizeTargets[index] as number) / inSize, roi, index, count);
    const scale = scales?.[index] ?? 1;
    const outSize = Math.floor(inSize * (roi ? roiEnd - roiStart : 1) * scale);
    return axisResize(inSize, outSize, scale, roi, index, count);
  });
}

function axisResize(inSize: number, outSize: number, scale: number, roi: readonly number[] | undefined, index: number, count: number): AxisResize {
  return { inSize, outSize, scale, roiStart: roi?.[index] ?? 0, roiEnd: roi?.[index + count] ?? 1 };
}
