// Mean and population variance helpers shared by the normalization kernels (float64 math).

/** Mean and population variance of `count` contiguous values starting at `start`. */
export function contiguousMoments(values: ArrayLike<number>, start: number, count: number): { mean: number; variance: number } {
  let sum = 0;
  for (let index = start; index < start + count; index++) sum += values[index] as number;
  const mean = sum / count;
  let squares = 0;
  for (let index = start; index < start + count; index++) {
    const centered = (values[index] as number) - mean;
    squares += centered * centered;
  }
  return { mean, variance: squares / count };
}

/** Index into a parameter of shape `parameterShape` right-aligned (broadcast) against `shape`, for flat index `flat` of `shape`. */
export function broadcastIndex(flat: number, shape: readonly number[], parameterShape: readonly number[]): number {
  let remaining = flat;
  let index = 0;
  let stride = 1;
  const shift = shape.length - parameterShape.length;
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    const dim = shape[axis] as number;
    const coordinate = remaining % dim;
    remaining = Math.floor(remaining / dim);
    const parameterAxis = axis - shift;
    if (parameterAxis < 0) continue;
    const parameterDim = parameterShape[parameterAxis] as number;
    if (parameterDim !== 1) index += coordinate * stride;
    stride *= parameterDim;
  }
  return index;
}
