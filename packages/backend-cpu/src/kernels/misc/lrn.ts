// LRN: cross-channel local response normalization, y[n, c, …] = x[n, c, …] / (bias + alpha / size ·
// Σ_{c' ∈ [c − floor((size − 1) / 2), c + ceil((size − 1) / 2)]} x[n, c', …]²)^beta.
// reference: https://onnx.ai/onnx/operators/onnx__LRN.html
import { type Attributes, type TensorData, shapeSize } from '@efficientdl/ir';
import type { KernelContext, KernelDefinition } from '../../kernel-registry.js';
import { createFloatTensor, floatAttribute, floatData, intAttribute, requireInput, shapeError } from '../linear/kernel-helpers.js';

function lrnKernel(inputs: readonly (TensorData | undefined)[], attrs: Attributes, context: KernelContext): TensorData[] {
  // x: (N, C, D1, …)
  const x = requireInput(inputs, 0, context, 'X');
  const values = floatData(x, context, 'X');
  if (x.shape.length < 3) throw shapeError(context, 'X must be (N, C, D1, …)', [x.shape]);
  const size = intAttribute(attrs, 'size', 1);
  const alpha = floatAttribute(attrs, 'alpha', 0.0001);
  const beta = floatAttribute(attrs, 'beta', 0.75);
  const bias = floatAttribute(attrs, 'bias', 1);
  const [batch, channels] = x.shape as [number, number];
  const inner = shapeSize(x.shape.slice(2));
  const below = Math.floor((size - 1) / 2);
  const above = Math.ceil((size - 1) / 2);
  const { tensor, data } = createFloatTensor(x.dtype, x.shape);
  for (let n = 0; n < batch; n++) {
    for (let c = 0; c < channels; c++) {
      const first = Math.max(0, c - below);
      const last = Math.min(channels - 1, c + above);
      for (let i = 0; i < inner; i++) {
        let squares = 0;
        for (let other = first; other <= last; other++) squares += (values[(n * channels + other) * inner + i] as number) ** 2;
        const index = (n * channels + c) * inner + i;
        data[index] = (values[index] as number) / (bias + (alpha / size) * squares) ** beta;
      }
    }
  }
  return [tensor];
}

export const LRN_KERNELS: readonly KernelDefinition[] = [{ op: 'LRN', dtypes: ['float32', 'float64'], kernel: lrnKernel }];
