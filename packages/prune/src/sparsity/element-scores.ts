// Importance of every weight element (higher = keep), in storage order:
//   magnitude({p})  |w|^p
//   taylor({batches}) mean over batches of |w · ∂L/∂w| (first-order Taylor, Molchanov et al.)
//   random({seed})  uniform in [0, 1) from a seeded Generator (a baseline)
// Computing taylor runs forward/backward on the model but restores every gradient and buffer
// (BatchNorm running statistics) it touched; weights are never modified here.
import { ConfigError } from '@efficientdl/ir';
import { crossEntropy } from '@efficientdl/nn';
import { Generator, type Tensor } from '@efficientdl/tensor';
import type { Importance } from '../importance/importance.js';
import type { PrunableWeight, SparsityModel } from './prunable-weights.js';

function magnitudeScores(weight: PrunableWeight, p: number): Float64Array {
  const values = weight.tensor.values as Float32Array;
  return Float64Array.from(values, (value) => (p === 1 ? Math.abs(value) : value * value));
}

function randomScores(weights: readonly PrunableWeight[], seed: number): Float64Array[] {
  const generator = new Generator(seed);
  return weights.map((weight) => Float64Array.from({ length: weight.tensor.size }, () => generator.random()));
}

function taylorScores(model: SparsityModel, weights: readonly PrunableWeight[], importance: Extract<Importance, { kind: 'taylor' }>): Float64Array[] {
  const loss = importance.loss ?? ((output: Tensor, targets: Tensor) => crossEntropy(output, targets));
  const saved = new Map<Tensor, Tensor | undefined>();
  for (const tensor of model.parameters()) saved.set(tensor, tensor.grad);
  const buffers = [...model.buffers()].map((tensor) => [tensor, tensor.data.data.slice()] as const);
  const sums = weights.map((weight) => new Float64Array(weight.tensor.size));
  try {
    for (const batch of importance.batches) {
      for (const tensor of model.parameters()) tensor.grad = undefined;
      const output = model.call(...batch.inputs);
      loss(Array.isArray(output) ? (output[0] as Tensor) : output, batch.targets).backward();
      weights.forEach((weight, index) => {
        const gradient = weight.tensor.grad?.values as Float32Array | undefined;
        if (!gradient) return;
        const values = weight.tensor.values as Float32Array;
        const sum = sums[index] as Float64Array;
        for (let element = 0; element < sum.length; element++) sum[element] = (sum[element] as number) + Math.abs((values[element] as number) * (gradient[element] as number));
      });
    }
  } finally {
    for (const [tensor, gradient] of saved) tensor.grad = gradient;
    for (const [tensor, data] of buffers) tensor.assign({ ...tensor.data, data });
  }
  const batches = importance.batches.length;
  return sums.map((sum) => sum.map((value) => value / batches));
}

/** Per-element scores of every weight (same order as `weights`). */
export function elementScores(model: SparsityModel, weights: readonly PrunableWeight[], importance: Importance): Float64Array[] {
  switch (importance.kind) {
    case 'magnitude':
      return weights.map((weight) => magnitudeScores(weight, importance.p));
    case 'random':
      return randomScores(weights, importance.seed);
    case 'taylor':
      return taylorScores(model, weights, importance);
    case 'bn-scale':
      throw new ConfigError("pruneSparse: importance 'bn-scale' does not score weights");
  }
}
