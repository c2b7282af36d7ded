// Switches the BatchNormalization nodes of a GraphModule between inference (running
// statistics) and training mode (ONNX training_mode = 1: batch statistics, two extra outputs
// for the updated running statistics, unused here). Fine-tuning a pruned model with batch
// statistics recovers faster than with frozen ones; switch back to 'eval' afterwards and
// re-estimate the statistics with recalibrateBatchNorm.
import type { Node } from '@efficientdl/ir';
import { GraphModule } from '@efficientdl/nn';

function isBatchNorm(node: Node): boolean {
  return node.op === 'BatchNormalization' && node.domain === '';
}

/** A new GraphModule (parameters copied) whose BatchNormalization nodes run in `mode`. */
export function withBatchNormMode(model: GraphModule, mode: 'train' | 'eval'): GraphModule {
  const graph = model.toGraph();
  const used = new Set(graph.nodes.flatMap((node) => node.outputs));
  const unique = (base: string) => {
    let name = base;
    for (let suffix = 1; used.has(name); suffix++) name = `${base}_${suffix}`;
    used.add(name);
    return name;
  };
  const nodes = graph.nodes.map((node): Node => {
    if (!isBatchNorm(node)) return node;
    const output = node.outputs[0] as string;
    if (mode === 'eval') return { ...node, outputs: [output], attrs: { ...node.attrs, training_mode: 0 } };
    if (Number(node.attrs.training_mode ?? 0) !== 0) return node;
    const statistics = [unique(`${node.name}_running_mean`), unique(`${node.name}_running_var`)];
    return { ...node, outputs: [output, ...statistics], attrs: { ...node.attrs, training_mode: 1 } };
  });
  return GraphModule.fromGraph({ ...graph, nodes });
}
