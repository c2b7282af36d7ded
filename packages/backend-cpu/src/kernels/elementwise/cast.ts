// Cast(input, to): converts every element to the dtype with ONNX TensorProto code `to`.
// Follows ONNX Cast: float → float rounds to nearest even (±inf when out of range); float → int
// truncates toward zero (ONNX leaves out-of-range undefined: here it saturates, NaN → 0; for
// int4/uint4 it wraps to the low 4 bits like ONNX's reference);
// int → int keeps the low bits (two's complement wrap, e.g. int16 200 → int8 -56, also for int4);
// anything → bool is x != 0 (NaN → true); bool → number is 0/1.
// reference: https://onnx.ai/onnx/operators/onnx__Cast.html
import {
  AttributeError,
  DTYPES,
  type Attributes,
  type DType,
  type TensorData,
  dtypeBits,
  dtypeFromOnnx,
  integerRange,
  isDType,
  isFloatDType,
  isIntegerDType,
  onnxDataType,
  shapeSize,
} from '@efficientdl/ir';
import { type Kernel, type KernelContext, type KernelDefinition, defineKernel } from '../../kernel-registry.js';
import {
  type BigIntArray,
  type NumberArray,
  allocateComputeValues,
  computeValues,
  fromComputeValues,
  isBigIntDType,
  requireInput,
} from './kernel-support.js';

/** Resolves the `to` attribute (ONNX data type code, or a dtype name). */
export function castTarget(attrs: Attributes, context: KernelContext): DType {
  const to = attrs.to;
  if (typeof to === 'string' && isDType(to)) return to;
  if (typeof to === 'number' && isDType(dtypeNameOf(to))) return dtypeFromOnnx(to);
  throw new AttributeError(`Cast (node '${context.node}'): attribute 'to' = ${JSON.stringify(to)} is not a supported ONNX data type`, {
    op: context.op,
    node: context.node,
    attribute: 'to',
  });
}

function dtypeNameOf(code: number): string | undefined {
  return DTYPES.find((dtype) => onnxDataType(dtype) === code);
}

const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);
const UINT64_MAX = 2n ** 64n - 1n;

/** A float (already finite-or-not double) converted to an integer dtype: trunc, saturate, NaN → 0. */
function floatToInteger(value: number, target: DType): number | bigint {
  if (isBigIntDType(target)) {
    const [low, high] = target === 'int64' ? [INT64_MIN, INT64_MAX] : [0n, UINT64_MAX];
    if (Number.isNaN(value)) return 0n;
    if (value >= Number(high)) return high;
    if (value <= Number(low)) return low;
    return BigInt(Math.trunc(value));
  }
  if (Number.isNaN(value)) return 0;
  // int4/uint4 keep the low 4 bits of the truncated value (-9 → 7, 8 → -8), as ONNX's expected outputs show.
  if (target === 'int4' || target === 'uint4') return integerToInteger(Math.trunc(value), target);
  const [low, high] = integerRange(target);
  return Math.min(high, Math.max(low, Math.trunc(value)));
}

/** An integer converted to an integer dtype: keeps the low bits (two's complement). */
function integerToInteger(value: number | bigint, target: DType): number | bigint {
  const bits = dtypeBits(target);
  const signed = target.startsWith('int');
  const wrapped = signed ? BigInt.asIntN(bits, BigInt(value)) : BigInt.asUintN(bits, BigInt(value));
  return isBigIntDType(target) ? wrapped : Number(wrapped);
}

function convertElement(value: number | bigint, source: DType, target: DType): number | bigint {
  if (target === 'bool') return value !== 0 && value !== 0n ? 1 : 0;
  if (isFloatDType(target)) return Number(value);
  if (isFloatDType(source)) return floatToInteger(value as number, target);
  return integerToInteger(value, target);
}

/** An integer dtype of 8 to 32 bits (typed-array stores between these wrap like ONNX Cast). */
function isNarrowInteger(dtype: DType): boolean {
  return isIntegerDType(dtype) && !isBigIntDType(dtype) && dtypeBits(dtype) >= 8;
}

/** Converts a whole tensor to `target` (exported for QuantizeLinear and tests). */
export function castTensor(input: TensorData, target: DType): TensorData {
  const source = input.dtype;
  const values = computeValues(input);
  const count = shapeSize(input.shape);
  const out = allocateComputeValues(target, count);
  const sourceIsFloat = isFloatDType(source);
  if (sourceIsFloat && isFloatDType(target) && !isBigIntDType(target)) {
    (out as NumberArray).set(values as NumberArray);
  } else if (isNarrowInteger(source) && isNarrowInteger(target)) {
    // int → int (≤ 32 bits both sides): the typed-array store wraps exactly like the spec.
    (out as NumberArray).set(values as NumberArray);
  } else {
    const target64 = isBigIntDType(target);
    for (let index = 0; index < count; index++) {
      const converted = convertElement(values[index] as number | bigint, source, target);
      if (target64) (out as BigIntArray)[index] = BigInt(converted);
      else (out as NumberArray)[index] = converted as number;
    }
  }
  return fromComputeValues(target, input.shape, out);
}

const castKernel: Kernel = (inputs, attrs, context) => {
  const input = requireInput(inputs, 0, context);
  return [castTensor(input, castTarget(attrs, context))];
};

export const CAST_KERNELS: readonly KernelDefinition[] = [defineKernel({ op: 'Cast', kernel: castKernel })];
