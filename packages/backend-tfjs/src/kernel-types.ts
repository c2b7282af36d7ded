// Kernel contract of the tfjs backend: a kernel reads lazily uploaded inputs (host TensorData
// plus a tf.Tensor on demand) and resolved attributes, and returns tf tensors tagged with the
// ONNX dtype they stand for (int64 travels as int32). Kernels run inside tf.tidy.
import type { Attributes, BackendNode, DType, TensorData } from '@efficientdl/ir';
import type * as tf from '@tensorflow/tfjs-core';

/** One input of a kernel call: host data always available, device tensor uploaded on first use. */
export interface TfjsInput {
  readonly data: TensorData;
  readonly dtype: DType;
  readonly shape: readonly number[];
  /** The tf tensor (int64 → int32; throws UnsupportedOpError when a value does not fit). */
  tensor(): tf.Tensor;
  /** Values as plain numbers (shape-like operands: axes, pads, sizes…). */
  numbers(): number[];
}

/** A kernel output: the tf tensor and the ONNX dtype it represents. */
export interface TfjsOutput {
  readonly tensor: tf.Tensor;
  readonly dtype: DType;
}

export interface KernelCall {
  readonly node: BackendNode;
  readonly inputs: readonly (TfjsInput | undefined)[];
  readonly attrs: Attributes;
  readonly outputCount: number;
  /** Throws UnsupportedOpError naming op, node and backend 'tfjs' with `reason`. */
  decline(reason: string): never;
  /** Required input `index` (the IR schema has already checked presence). */
  input(index: number): TfjsInput;
}

export type TfjsKernel = (call: KernelCall) => TfjsOutput[];

export interface TfjsKernelDefinition {
  readonly op: string;
  /** The dtypes every present input may have (int64 is carried as int32). */
  readonly dtypes: readonly DType[];
  readonly kernel: TfjsKernel;
}

/** Dtype groups used by kernel declarations. */
export const FLOAT: readonly DType[] = ['float32'];
export const NUMERIC: readonly DType[] = ['float32', 'int32', 'int64'];
export const ALL_TFJS: readonly DType[] = ['float32', 'int32', 'int64', 'bool'];
/** Shape-like operand dtypes (axes, pads, K…) accepted alongside data dtypes. */
export const INDEX: readonly DType[] = ['int32', 'int64'];

/** Identity helper giving kernel files a typed way to declare a definition. */
export function defineTfjsKernel(definition: TfjsKernelDefinition): TfjsKernelDefinition {
  return definition;
}

/** Output with the same ONNX dtype as `input`. */
export function like(input: TfjsInput, tensor: tf.Tensor): TfjsOutput {
  return { tensor, dtype: input.dtype };
}
