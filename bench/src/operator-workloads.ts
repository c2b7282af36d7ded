// Operator-level workloads: fp32 GEMM (MatMul), int8 GEMM (MatMulInteger, int32 accumulation),
// the Fashion-MNIST CNN's two convolutions, and a MobileNet-style depthwise-separable block
// (depthwise 3×3 → BatchNorm → ReLU → pointwise 1×1). Weights are graph initializers (what
// onnxruntime may pre-pack); activations are feeds.
import { type TensorData, createGraph } from '@efficientdl/ir';
import { type GraphWorkloadSpec, graphWorkload } from './graph-workload.js';
import { randomFloat32, randomInt8, randomPositive } from './random-data.js';
import type { Workload } from './workload-types.js';

const NO_INT8_IN_TFJS = 'tfjs has no int8 MatMulInteger';

export function gemmFp32Workload(size: number): Workload {
  return graphWorkload(`gemm-fp32-${size}`, `MatMul (${size}×${size}) · (${size}×${size}) float32`, () => {
    const a = randomFloat32([size, size], 1);
    const b = randomFloat32([size, size], 2);
    const graph = createGraph({
      name: `gemm_fp32_${size}`,
      nodes: [{ op: 'MatMul', inputs: ['a', 'b'], outputs: ['y'] }],
      inputs: [
        { name: 'a', dtype: 'float32', shape: [size, size] },
        { name: 'b', dtype: 'float32', shape: [size, size] },
      ],
      outputs: [{ name: 'y', dtype: 'float32', shape: [size, size] }],
    });
    return { graph, feeds: { a, b }, flops: 2 * size ** 3 };
  });
}

export function gemmInt8Workload(size: number): Workload {
  return graphWorkload(`gemm-int8-${size}`, `MatMulInteger (${size}×${size}) · (${size}×${size}) int8 → int32 (integer ops)`, () => {
    const a = randomInt8([size, size], 3);
    const b = randomInt8([size, size], 4);
    const graph = createGraph({
      name: `gemm_int8_${size}`,
      nodes: [{ op: 'MatMulInteger', inputs: ['a', 'b'], outputs: ['y'] }],
      inputs: [
        { name: 'a', dtype: 'int8', shape: [size, size] },
        { name: 'b', dtype: 'int8', shape: [size, size] },
      ],
      outputs: [{ name: 'y', dtype: 'int32', shape: [size, size] }],
    });
    return { graph, feeds: { a, b }, flops: 2 * size ** 3, skip: { 'tfjs-wasm': NO_INT8_IN_TFJS } };
  });
}

interface ConvSpec {
  batch: number;
  inChannels: number;
  outChannels: number;
  size: number;
}

/** Conv 3×3 pad 1 with bias, as the CNN's layers. */
export function convWorkload(name: string, spec: ConvSpec): Workload {
  const { batch, inChannels, outChannels, size } = spec;
  const description = `Conv 3×3 pad 1 + bias, x (${batch}, ${inChannels}, ${size}, ${size}) → (${batch}, ${outChannels}, ${size}, ${size})`;
  return graphWorkload(name, description, (): GraphWorkloadSpec => {
    const x = randomFloat32([batch, inChannels, size, size], 5); // x: (N, C, H, W)
    const graph = createGraph({
      name,
      nodes: [{ op: 'Conv', inputs: ['x', 'w', 'bias'], outputs: ['y'], attrs: { kernel_shape: [3, 3], pads: [1, 1, 1, 1] } }],
      inputs: [{ name: 'x', dtype: 'float32', shape: [batch, inChannels, size, size] }],
      outputs: [{ name: 'y', dtype: 'float32', shape: [batch, outChannels, size, size] }],
      initializers: { w: randomFloat32([outChannels, inChannels, 3, 3], 6), bias: randomFloat32([outChannels], 7) },
    });
    return { graph, feeds: { x }, flops: 2 * batch * outChannels * size * size * inChannels * 9 };
  });
}

function batchNormInitializers(channels: number): Record<string, TensorData> {
  return {
    scale: randomPositive([channels], 8),
    shift: randomFloat32([channels], 9),
    mean: randomFloat32([channels], 10),
    variance: randomPositive([channels], 11),
  };
}

/** Depthwise 3×3 (C ch, no bias) → BatchNorm → ReLU → pointwise 1×1 C → 2C (no bias). */
export function depthwiseSeparableWorkload(options: { batch: number; channels: number; size: number }): Workload {
  const { batch, channels, size } = options;
  const outChannels = 2 * channels;
  const name = `dwsep-block-${channels}x${size}-b${batch}`;
  const description = `depthwise 3×3 (${channels} ch) + BN + ReLU + pointwise 1×1 ${channels}→${outChannels}, x (${batch}, ${channels}, ${size}, ${size})`;
  return graphWorkload(name, description, (): GraphWorkloadSpec => {
    const x = randomFloat32([batch, channels, size, size], 12); // x: (N, C, H, W)
    const graph = createGraph({
      name: name.replaceAll('-', '_'),
      nodes: [
        { op: 'Conv', inputs: ['x', 'depthwise'], outputs: ['d'], attrs: { kernel_shape: [3, 3], pads: [1, 1, 1, 1], group: channels } },
        { op: 'BatchNormalization', inputs: ['d', 'scale', 'shift', 'mean', 'variance'], outputs: ['n'] },
        { op: 'Relu', inputs: ['n'], outputs: ['r'] },
        { op: 'Conv', inputs: ['r', 'pointwise'], outputs: ['y'], attrs: { kernel_shape: [1, 1] } },
      ],
      inputs: [{ name: 'x', dtype: 'float32', shape: [batch, channels, size, size] }],
      outputs: [{ name: 'y', dtype: 'float32', shape: [batch, outChannels, size, size] }],
      initializers: {
        depthwise: randomFloat32([channels, 1, 3, 3], 13), // (C, 1, 3, 3)
        pointwise: randomFloat32([outChannels, channels, 1, 1], 14), // (2C, C, 1, 1)
        ...batchNormInitializers(channels),
      },
    });
    // multiply-adds: depthwise 9 per output element, pointwise C per output element
    const flops = 2 * batch * size * size * (channels * 9 + outChannels * channels);
    return { graph, feeds: { x } , flops };
  });
}
