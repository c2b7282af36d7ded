// SparsityMasks: the result of pruneSparse. Keep-masks (bool TensorData, 1 = keep) keyed by
// parameter name, the report, and the fine-tuning helpers that keep pruned weights at zero:
// reapply(model) after each optimizer step, maskGradients(model) before it, or attach(optimizer,
// model) which wraps optimizer.step to do both (so Adam's moments never see pruned weights).
import { ConfigError, type TensorData, formatShape, shapesEqual } from '@efficientdl/ir';
import type { Optimizer } from '@efficientdl/nn';
import type { Tensor } from '@efficientdl/tensor';
import type { SparsityModel } from './prunable-weights.js';
import { type LayerSparsity, type SparsityReport, countZeros, sparsityReport } from './sparsity-report.js';

export class SparsityMasks {
  constructor(
    /** Keep-mask per parameter name: bool, the parameter's shape, 1 = keep. */
    readonly masks: ReadonlyMap<string, TensorData>,
    /** Per-layer sparsity right after pruning. */
    readonly report: SparsityReport,
  ) {}

  /** The model's masked parameters by name; a ConfigError names a missing or reshaped one. */
  private targets(model: SparsityModel): [Tensor, Uint8Array][] {
    const parameters = new Map(model.namedParameters());
    return [...this.masks].map(([name, mask]) => {
      const tensor = parameters.get(name);
      if (!tensor) throw new ConfigError(`SparsityMasks: the model has no parameter '${name}'`, { parameter: name });
      if (!shapesEqual(tensor.shape, mask.shape)) {
        throw new ConfigError(`SparsityMasks: parameter '${name}' is ${formatShape(tensor.shape)}, its mask ${formatShape(mask.shape)}`, { parameter: name });
      }
      return [tensor, mask.data as Uint8Array];
    });
  }

  /** Zeroes the pruned weights of `model` in place (call after every optimizer step). */
  reapply(model: SparsityModel): void {
    for (const [tensor, mask] of this.targets(model)) zeroMasked(tensor.values as Float32Array, mask);
  }

  /** Zeroes the gradients of pruned weights (call between backward and the optimizer step). */
  maskGradients(model: SparsityModel): void {
    for (const [tensor, mask] of this.targets(model)) {
      if (tensor.grad) zeroMasked(tensor.grad.values as Float32Array, mask);
    }
  }

  /** Wraps optimizer.step: masks gradients, steps, re-applies the masks. Returns the undo function. */
  attach(optimizer: Optimizer, model: SparsityModel): () => void {
    const targets = this.targets(model);
    const original = optimizer.step;
    optimizer.step = () => {
      for (const [tensor, mask] of targets) if (tensor.grad) zeroMasked(tensor.grad.values as Float32Array, mask);
      original.call(optimizer);
      for (const [tensor, mask] of targets) zeroMasked(tensor.values as Float32Array, mask);
    };
    return () => {
      optimizer.step = original;
    };
  }

  /** The model's current sparsity of the masked weights (same layers and rules as `report`). */
  measure(model: SparsityModel): SparsityReport {
    const parameters = new Map(model.namedParameters());
    const layers: LayerSparsity[] = this.report.layers.map((layer) => {
      const tensor = parameters.get(layer.parameter);
      if (!tensor) throw new ConfigError(`SparsityMasks: the model has no parameter '${layer.parameter}'`, { parameter: layer.parameter });
      const zeros = countZeros(tensor.values as Float32Array);
      return { ...layer, zeros, sparsity: layer.elements > 0 ? zeros / layer.elements : 0 };
    });
    return sparsityReport({ granularity: this.report.granularity, importance: this.report.importance, layers });
  }
}

function zeroMasked(values: Float32Array, mask: Uint8Array): void {
  for (let index = 0; index < mask.length; index++) if (mask[index] === 0) values[index] = 0;
}
