// Parameter initialisation (torch.nn.init's PyTorch-default schemes), drawing from an explicit
// Generator so that models are reproducible: kaiming-uniform with a = √5 for Linear/Conv weights,
// uniform(±1/√fanIn) for their biases.
import { type Generator, type Tensor, getDefaultGenerator, rand, randn } from '@efficientdl/tensor';

export interface InitOptions {
  /** Source of randomness; the process default generator when omitted. */
  generator?: Generator;
}

/** fan-in of a weight of shape (out, in, ...kernel): in × prod(kernel). */
export function fanIn(shape: readonly number[]): number {
  let fan = shape[1] ?? 1;
  for (let axis = 2; axis < shape.length; axis++) fan *= shape[axis] as number;
  return fan;
}

/** Uniform in [low, high). */
export function uniform(shape: readonly number[], low: number, high: number, options: InitOptions = {}): Tensor {
  return rand(shape, { generator: options.generator ?? getDefaultGenerator(), low, high });
}

/** Normal with mean and std. */
export function normal(shape: readonly number[], mean: number, std: number, options: InitOptions = {}): Tensor {
  return randn(shape, { generator: options.generator ?? getDefaultGenerator(), mean, std });
}

/**
 * Kaiming (He) uniform: bound = gain × √(3 / fanIn) with gain = √(2 / (1 + a²)) (leaky-ReLU gain).
 * With PyTorch's default a = √5 this is bound = 1/√fanIn.
 */
export function kaimingUniform(shape: readonly number[], options: InitOptions & { a?: number } = {}): Tensor {
  const a = options.a ?? Math.sqrt(5);
  const gain = Math.sqrt(2 / (1 + a * a));
  const bound = gain * Math.sqrt(3 / fanIn(shape));
  return uniform(shape, -bound, bound, options);
}

/** PyTorch's default bias init for Linear/Conv: uniform(±1/√fanIn) where fanIn is the weight's. */
export function biasUniform(size: number, weightFanIn: number, options: InitOptions = {}): Tensor {
  const bound = weightFanIn > 0 ? 1 / Math.sqrt(weightFanIn) : 0;
  return uniform([size], -bound, bound, options);
}
