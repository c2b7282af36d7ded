// Einsum(inputs…, equation): Σ over the labels missing from the output of the product of all
// operands, by direct iteration over every label combination (a readable reference, float64
// accumulation). Handles implicit/explicit outputs, repeated labels (diagonals, traces),
// ellipsis broadcasting and size-1 broadcasting.
// reference: https://onnx.ai/onnx/operators/onnx__Einsum.html
import { type Attributes, type TensorData, fromNumbers, shapeSize, toNumberArray } from '@efficientdl/ir';
import type { KernelContext, KernelDefinition } from '../../kernel-registry.js';
import { checkSameDType, requireInput } from '../elementwise/kernel-support.js';
import { planEinsum } from './einsum-plan.js';

function einsumKernel(inputs: readonly (TensorData | undefined)[], attrs: Attributes, context: KernelContext): TensorData[] {
  const operands = inputs.map((_, index) => requireInput(inputs, index, context));
  checkSameDType(operands, context);
  const plan = planEinsum(String(attrs.equation ?? ''), operands.map((operand) => operand.shape), context);
  const values = operands.map((operand) => toNumberArray(operand));
  const outputShape = plan.sizes.slice(0, plan.outputRank);
  const outputCount = shapeSize(outputShape);
  const summedCount = shapeSize(plan.sizes.slice(plan.outputRank));
  const out = new Float64Array(outputCount);
  const position = new Array<number>(plan.labels.length).fill(0);
  const offsets = new Array<number>(operands.length).fill(0);
  // Odometer over (output labels…, summed labels…) in row-major order.
  for (let step = 0; step < outputCount * summedCount; step++) {
    let product = 1;
    for (let operand = 0; operand < values.length; operand++) product *= (values[operand] as Float64Array)[offsets[operand] as number] as number;
    const target = Math.floor(step / summedCount);
    out[target] = (out[target] as number) + product;
    for (let axis = plan.labels.length - 1; axis >= 0; axis--) {
      const size = plan.sizes[axis] as number;
      position[axis] = (position[axis] as number) + 1;
      const carry = position[axis] === size;
      for (let operand = 0; operand < offsets.length; operand++) {
        const stride = (plan.strides[operand] as number[])[axis] as number;
        offsets[operand] = (offsets[operand] as number) + (carry ? -(size - 1) * stride : stride);
      }
      if (!carry) break;
      position[axis] = 0;
    }
  }
  return [fromNumbers((operands[0] as TensorData).dtype, outputShape, out)];
}

export const EINSUM_KERNELS: readonly KernelDefinition[] = [{ op: 'Einsum', kernel: einsumKernel }];
