// Test fixture: builds small IR graphs with seeded random weights, plus the zeroing oracle of
// channel pruning (the original graph with every coupled parameter slice of the removed
// channels set to zero computes what the physically pruned graph computes).
import { type Attributes, type Graph, type NodeInit, type TensorData, createGraph, fromNumbers, inferValueTypes, shapeSize, toNumberArray } from '@efficientdl/ir';
import { GraphModule } from '@efficientdl/nn';
import { Generator, Tensor, noGrad } from '@efficientdl/tensor';
import type { ChannelGroup } from '../dependency-graph/channel-group.js';

export class GraphBuilder {
  private readonly nodes: NodeInit[] = [];
  private readonly initializers = new Map<string, TensorData>();
  private readonly generator: Generator;
  private count = 0;

  constructor(
    private readonly inputShape: readonly number[],
    seed = 1,
  ) {
    this.generator = new Generator(seed);
  }

  /** A random float32 initializer in [low, high). */
  weight(name: string, shape: readonly number[], range: { low?: number; high?: number } = {}): string {
    const low = range.low ?? -0.5;
    const high = range.high ?? 0.5;
    const values = Array.from({ length: shapeSize(shape) }, () => low + (high - low) * this.generator.random());
    this.initializers.set(name, fromNumbers('float32', shape, values));
    return name;
  }

  constant(name: string, tensor: TensorData): string {
    this.initializers.set(name, tensor);
    return name;
  }

  node(op: string, inputs: readonly string[], attrs: Attributes = {}, outputCount = 1): string[] {
    const name = `${op}_${this.count++}`;
    const outputs = Array.from({ length: outputCount }, (_, index) => `${name}_out${index}`);
    this.nodes.push({ name, op, inputs, outputs, attrs });
    return outputs;
  }

  /** node() for single-output ops. */
  op(op: string, inputs: readonly string[], attrs: Attributes = {}): string {
    return this.node(op, inputs, attrs)[0] as string;
  }

  conv(name: string, x: string, options: { inChannels: number; outChannels: number; kernel?: number; group?: number; bias?: boolean }): string {
    const kernel = options.kernel ?? 3;
    const group = options.group ?? 1;
    const weight = this.weight(`${name}.weight`, [options.outChannels, options.inChannels / group, kernel, kernel]);
    const inputs = [x, weight];
    if (options.bias !== false) inputs.push(this.weight(`${name}.bias`, [options.outChannels]));
    const pad = (kernel - 1) / 2;
    return this.op('Conv', inputs, { group, pads: [pad, pad, pad, pad], kernel_shape: [kernel, kernel] });
  }

  batchNorm(name: string, x: string, channels: number): string {
    return this.op('BatchNormalization', [
      x,
      this.weight(`${name}.weight`, [channels], { low: 0.5, high: 1.5 }),
      this.weight(`${name}.bias`, [channels]),
      this.weight(`${name}.running_mean`, [channels]),
      this.weight(`${name}.running_var`, [channels], { low: 0.5, high: 1.5 }),
    ]);
  }

  gemm(name: string, x: string, inFeatures: number, outFeatures: number): string {
    return this.op('Gemm', [x, this.weight(`${name}.weight`, [outFeatures, inFeatures]), this.weight(`${name}.bias`, [outFeatures])], { transB: 1 });
  }

  build(output: string): Graph {
    const draft = createGraph({
      nodes: this.nodes,
      inputs: [{ name: 'x', dtype: 'float32', shape: ['N', ...this.inputShape.slice(1)] }],
      outputs: [],
      initializers: this.initializers,
    });
    const types = inferValueTypes({ ...draft, inputs: [{ name: 'x', dtype: 'float32', shape: [...this.inputShape] }] });
    const shape = [...(types.get(output)?.shape ?? [])];
    shape[0] = 'N';
    return { ...draft, outputs: [{ name: output, dtype: 'float32', shape }] };
  }
}

/** Seeded random input of a shape. */
export function randomInput(shape: readonly number[], seed = 7): Tensor {
  const generator = new Generator(seed);
  return new Tensor(fromNumbers('float32', shape, Array.from({ length: shapeSize(shape) }, () => generator.random() * 2 - 1)));
}

/** Runs a graph (or module) under noGrad and returns its first output's values. */
export function runModel(model: Graph | GraphModule, input: Tensor): Float64Array {
  const module = model instanceof GraphModule ? model : GraphModule.fromGraph(model);
  return noGrad(() => {
    const output = module.forward(input);
    return toNumberArray((Array.isArray(output) ? (output[0] as Tensor) : output).data);
  });
}

/** The zeroing oracle: `graph` with every initializer slice of the removed channels set to 0. */
export function zeroChannels(graph: Graph, groups: readonly { group: ChannelGroup; indices: readonly number[] }[]): Graph {
  const initializers = new Map(graph.initializers);
  for (const { group, indices } of groups) {
    for (const [value, byAxis] of group.removalsFor(indices)) {
      const tensor = initializers.get(value);
      if (!tensor) continue;
      const values = toNumberArray(tensor);
      for (const [axis, removed] of byAxis) {
        const inner = shapeSize(tensor.shape.slice(axis + 1));
        const size = tensor.shape[axis] as number;
        values.forEach((_, flat) => {
          if (removed.has(Math.floor(flat / inner) % size)) values[flat] = 0;
        });
      }
      initializers.set(value, fromNumbers(tensor.dtype, tensor.shape, values));
    }
  }
  return { ...graph, initializers };
}
