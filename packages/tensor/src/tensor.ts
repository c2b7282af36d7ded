// The eager Tensor: dtype, static shape, host storage (TensorData), and autograd links.
// Methods are thin calls into functional.ts, which calls the engine by IR op name.
import {
  type DType,
  type StaticShape,
  type TensorData,
  type TypedArray,
  formatShape,
  shapeSize,
  toNumberArray,
} from '@efficientdl/ir';
import { backward } from './autograd.js';
import * as F from './functional.js';
import type { GradNode } from './grad-mode.js';

let tensorCounter = 0;

export class Tensor {
  /** Host storage. Optimizers may update `data.data` in place under noGrad. */
  data: TensorData;
  /** Whether gradients flow to this tensor (leaf parameters set this). */
  requiresGrad = false;
  /** Accumulated gradient after backward(), for tensors that require grad. */
  grad: Tensor | undefined;
  /** The tape node that produced this tensor, and which of its outputs it is. */
  gradNode: GradNode | undefined;
  gradOutputIndex = 0;
  /** A debug id, unique per process. */
  readonly id = tensorCounter++;

  constructor(data: TensorData) {
    this.data = data;
  }

  get dtype(): DType {
    return this.data.dtype;
  }

  get shape(): StaticShape {
    return this.data.shape;
  }

  get rank(): number {
    return this.data.shape.length;
  }

  get size(): number {
    return shapeSize(this.data.shape);
  }

  /** The raw typed array (float32 → Float32Array, int64 → BigInt64Array, ...). */
  get values(): TypedArray {
    return this.data.data;
  }

  /** A leaf tensor produced by no recorded op. */
  get isLeaf(): boolean {
    return this.gradNode === undefined;
  }

  /** Internal: called by the engine when the op producing this tensor is recorded. */
  attachGradNode(node: GradNode, outputIndex: number): void {
    this.gradNode = node;
    this.gradOutputIndex = outputIndex;
    this.requiresGrad = true;
  }

  /** Marks this tensor as a leaf that collects gradients (returns this). */
  requireGrad(flag = true): this {
    this.requiresGrad = flag;
    return this;
  }

  /** A new tensor sharing storage but cut from the tape. */
  detach(): Tensor {
    return new Tensor(this.data);
  }

  /** Replaces this tensor's storage with a copy of `source`'s values (same shape and dtype). */
  assign(source: Tensor | TensorData): this {
    const data = source instanceof Tensor ? source.data : source;
    if (data.dtype !== this.dtype || formatShape(data.shape) !== formatShape(this.shape)) {
      throw new TypeError(`assign: ${data.dtype}${formatShape(data.shape)} into ${this.dtype}${formatShape(this.shape)}`);
    }
    (this.data.data as Float32Array).set(data.data as Float32Array);
    return this;
  }

  /** Values as plain numbers (int64 converted with Number()). */
  toArray(): number[] {
    return Array.from(toNumberArray(this.data));
  }

  /** The single value of a one-element tensor. */
  item(): number {
    if (this.size !== 1) throw new TypeError(`item(): tensor has shape ${formatShape(this.shape)}, not one element`);
    return this.toArray()[0] as number;
  }

  // Op methods (thin calls into functional.ts).
  add(other: Tensor | number): Tensor { return F.add(this, other); }
  sub(other: Tensor | number): Tensor { return F.sub(this, other); }
  mul(other: Tensor | number): Tensor { return F.mul(this, other); }
  div(other: Tensor | number): Tensor { return F.div(this, other); }
  pow(other: Tensor | number): Tensor { return F.pow(this, other); }
  neg(): Tensor { return F.neg(this); }
  abs(): Tensor { return F.abs(this); }
  exp(): Tensor { return F.exp(this); }
  log(): Tensor { return F.log(this); }
  sqrt(): Tensor { return F.sqrt(this); }
  relu(): Tensor { return F.relu(this); }
  sigmoid(): Tensor { return F.sigmoid(this); }
  tanh(): Tensor { return F.tanh(this); }
  matmul(other: Tensor): Tensor { return F.matmul(this, other); }
  reshape(shape: readonly number[]): Tensor { return F.reshape(this, shape); }
  flatten(axis = 1): Tensor { return F.flatten(this, axis); }
  transpose(perm?: readonly number[]): Tensor { return F.transpose(this, perm); }
  unsqueeze(axes: readonly number[]): Tensor { return F.unsqueeze(this, axes); }
  squeeze(axes?: readonly number[]): Tensor { return F.squeeze(this, axes); }
  sum(axes?: readonly number[], keepDims = false): Tensor { return F.reduceSum(this, { axes, keepDims }); }
  mean(axes?: readonly number[], keepDims = false): Tensor { return F.reduceMean(this, { axes, keepDims }); }
  max(axes?: readonly number[], keepDims = false): Tensor { return F.reduceMax(this, { axes, keepDims }); }
  argMax(axis = -1, keepDims = false): Tensor { return F.argMax(this, axis, keepDims); }
  softmax(axis = -1): Tensor { return F.softmax(this, axis); }
  logSoftmax(axis = -1): Tensor { return F.logSoftmax(this, axis); }
  cast(dtype: DType): Tensor { return F.cast(this, dtype); }
  clip(min?: number, max?: number): Tensor { return F.clip(this, min, max); }

  /** Back-propagates from this tensor (a scalar unless `gradient` is given). */
  backward(gradient?: Tensor): void { backward(this, gradient); }

  toString(): string {
    return `Tensor(${this.dtype}${formatShape(this.shape)})`;
  }
}
