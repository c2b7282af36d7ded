// Re-estimates the running statistics of every inference-mode BatchNormalization after pruning
// ("adaptive BN", Li et al., EagleEye 2020): removing channels upstream shifts the statistics
// a BN sees, so its stored mean/variance go stale. In execution order, each BN's input is
// computed on the given batches (with the already recalibrated BNs before it) and its running
// mean and (unbiased) variance are replaced in place.
import { type Graph, type Node, type TensorData, eliminateDeadCode, fromNumbers, shapeSize, topologicalOrder } from '@efficientdl/ir';
import { GraphModule } from '@efficientdl/nn';
import { type Tensor, noGrad } from '@efficientdl/tensor';

/** Per-channel mean and unbiased variance of x: (N, C, ...). */
function channelStatistics(samples: readonly TensorData[]): { mean: number[]; variance: number[] } {
  const channels = samples[0]?.shape[1] ?? 0;
  const sums = new Float64Array(channels);
  const squares = new Float64Array(channels);
  let perChannel = 0;
  for (const sample of samples) {
    const batch = sample.shape[0] as number;
    const inner = shapeSize(sample.shape.slice(2));
    const values = sample.data as Float32Array;
    for (let row = 0; row < batch; row++) {
      for (let channel = 0; channel < channels; channel++) {
        const start = (row * channels + channel) * inner;
        for (let offset = 0; offset < inner; offset++) {
          const value = values[start + offset] as number;
          sums[channel] = (sums[channel] as number) + value;
          squares[channel] = (squares[channel] as number) + value * value;
        }
      }
    }
    perChannel += batch * inner;
  }
  const mean = Array.from(sums, (sum) => sum / perChannel);
  const variance = Array.from(squares, (square, channel) => Math.max(0, (square / perChannel - (mean[channel] as number) ** 2) * (perChannel / Math.max(1, perChannel - 1))));
  return { mean, variance };
}

function isRecalibratable(node: Node, graph: Graph): boolean {
  return node.op === 'BatchNormalization' && node.domain === '' && Number(node.attrs.training_mode ?? 0) === 0 && graph.initializers.has(node.inputs[3] ?? '') && graph.initializers.has(node.inputs[4] ?? '');
}

/** Updates `model`'s BatchNormalization running statistics from `batches` (model inputs per batch); returns how many BNs changed. */
export function recalibrateBatchNorm(model: GraphModule, options: { batches: readonly (readonly Tensor[])[] }): number {
  const nodes = topologicalOrder(model.graph).filter((node) => isRecalibratable(node, model.graph));
  for (const node of nodes) {
    const input = node.inputs[0] as string;
    const probe = GraphModule.fromGraph(eliminateDeadCode({ ...model.toGraph(), outputs: [{ name: input, dtype: 'float32', shape: [] }] }));
    const samples = noGrad(() => options.batches.map((inputs) => (probe.run(inputs)[0] as Tensor).data));
    const { mean, variance } = channelStatistics(samples);
    (model.getParameter(node.inputs[3] as string) as Tensor).assign(fromNumbers('float32', [mean.length], mean));
    (model.getParameter(node.inputs[4] as string) as Tensor).assign(fromNumbers('float32', [variance.length], variance));
  }
  return nodes.length;
}
