// Which parameters of a GraphModule fine-tuning should update: every float initializer except
// normalization statistics (BatchNormalization mean/var) and scalar constants (e.g. input
// normalization values), which a GraphModule registers as parameters too; those are frozen
// (requiresGrad off) so backward does not accumulate gradients for them.
import type { GraphModule } from '@efficientdl/nn';
import type { Tensor } from '@efficientdl/tensor';

export function trainableParameters(model: GraphModule): Tensor[] {
  const frozen = new Set<string>();
  for (const node of model.graph.nodes) {
    if (node.op === 'BatchNormalization' && node.domain === '') for (const name of node.inputs.slice(3)) frozen.add(name);
  }
  const trainable: Tensor[] = [];
  for (const [name, tensor] of model.namedParameters()) {
    if (frozen.has(name) || tensor.size <= 1) tensor.requireGrad(false);
    else trainable.push(tensor);
  }
  return trainable;
}
