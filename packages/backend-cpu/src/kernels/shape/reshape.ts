// Reshape (0 copies the input dim unless allowzero, -1 is inferred), Flatten (2-D at axis),
// Squeeze (axes input optional: all 1-dims) and Unsqueeze (axes input, in output rank). Data is copied.
// reference: https://onnx.ai/onnx/operators/onnx__Reshape.html, onnx__Flatten.html,
// onnx__Squeeze.html, onnx__Unsqueeze.html
import { type StaticShape, type TensorData, formatShape, shapeSize } from '@efficientdl/ir';
import { type Kernel, type KernelContext, type KernelDefinition, defineKernel } from '../../kernel-registry.js';
import { readIntegerInput, requireInput, shapeError } from '../elementwise/kernel-support.js';

function withShape(input: TensorData, shape: StaticShape): TensorData {
  return { dtype: input.dtype, shape: [...shape], data: input.data.slice() };
}

/** Normalizes an axis into [0, rank) or throws a ShapeError naming op and node. */
export function resolveAxis(axis: number, rank: number, context: KernelContext): number {
  const normalized = axis < 0 ? axis + rank : axis;
  if (!Number.isInteger(normalized) || normalized < 0 || normalized >= rank) {
    throw shapeError(context, `axis ${axis} is out of range for rank ${rank}`, { axis, rank });
  }
  return normalized;
}

/** The output shape of Reshape (exported for tests). */
export function reshapeTarget(input: StaticShape, requested: readonly number[], allowZero: boolean, context: KernelContext): number[] {
  const shape = requested.map((dim, axis) => (dim === 0 && !allowZero ? (input[axis] as number) : dim));
  if (requested.some((dim, axis) => dim === 0 && !allowZero && axis >= input.length)) {
    throw shapeError(context, `shape ${formatShape(requested)} copies a dim that ${formatShape(input)} does not have`);
  }
  const inferred = shape.filter((dim) => dim === -1).length;
  if (inferred > 1 || shape.some((dim) => dim < -1)) throw shapeError(context, `invalid target shape ${formatShape(requested)}`);
  const total = shapeSize(input);
  const known = shape.reduce((product, dim) => (dim === -1 ? product : product * dim), 1);
  if (inferred === 1) {
    if (known === 0 || total % known !== 0) {
      throw shapeError(context, `cannot reshape ${formatShape(input)} to ${formatShape(requested)}`);
    }
    shape[shape.indexOf(-1)] = total / known;
  } else if (known !== total) {
    throw shapeError(context, `cannot reshape ${formatShape(input)} (${total} elements) to ${formatShape(requested)}`);
  }
  return shape;
}

const reshapeKernel: Kernel = (inputs, attrs, context) => {
  const data = requireInput(inputs, 0, context);
  const requested = readIntegerInput(requireInput(inputs, 1, context), context, 'shape') ?? [];
  return [withShape(data, reshapeTarget(data.shape, requested, attrs.allowzero === 1, context))];
};

const flattenKernel: Kernel = (inputs, attrs, context) => {
  // x: (d0, …, d_{r-1}) → (d0·…·d_{axis-1}, d_axis·…·d_{r-1})
  const x = requireInput(inputs, 0, context);
  const rank = x.shape.length;
  const raw = (attrs.axis as number | undefined) ?? 1;
  const axis = raw < 0 ? raw + rank : raw;
  if (axis < 0 || axis > rank) throw shapeError(context, `axis ${raw} is out of range for rank ${rank}`);
  const outer = shapeSize(x.shape.slice(0, axis));
  return [withShape(x, [outer, shapeSize(x.shape.slice(axis))])];
};

function uniqueAxes(axes: readonly number[], rank: number, context: KernelContext): Set<number> {
  const resolved = new Set(axes.map((axis) => resolveAxis(axis, rank, context)));
  if (resolved.size !== axes.length) throw shapeError(context, `axes [${axes.join(', ')}] contain duplicates`);
  return resolved;
}

const squeezeKernel: Kernel = (inputs, _attrs, context) => {
  const x = requireInput(inputs, 0, context);
  const axes = readIntegerInput(inputs[1], context, 'axes');
  const rank = x.shape.length;
  const remove = axes ? uniqueAxes(axes, rank, context) : new Set(x.shape.flatMap((dim, axis) => (dim === 1 ? [axis] : [])));
  for (const axis of remove) {
    if (x.shape[axis] !== 1) throw shapeError(context, `cannot squeeze axis ${axis} of size ${x.shape[axis]} in ${formatShape(x.shape)}`);
  }
  return [withShape(x, x.shape.filter((_dim, axis) => !remove.has(axis)))];
};

const unsqueezeKernel: Kernel = (inputs, _attrs, context) => {
  const x = requireInput(inputs, 0, context);
  const axes = readIntegerInput(requireInput(inputs, 1, context), context, 'axes') ?? [];
  const outputRank = x.shape.length + axes.length;
  const inserted = uniqueAxes(axes, outputRank, context);
  const shape: number[] = [];
  let next = 0;
  for (let axis = 0; axis < outputRank; axis++) shape.push(inserted.has(axis) ? 1 : (x.shape[next++] as number));
  return [withShape(x, shape)];
};

export const RESHAPE_KERNELS: readonly KernelDefinition[] = [
  defineKernel({ op: 'Reshape', kernel: reshapeKernel }),
  defineKernel({ op: 'Flatten', kernel: flattenKernel }),
  defineKernel({ op: 'Squeeze', kernel: squeezeKernel }),
  defineKernel({ op: 'Unsqueeze', kernel: unsqueezeKernel }),
];
