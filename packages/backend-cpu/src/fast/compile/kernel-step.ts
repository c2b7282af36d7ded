// A compiled-graph step that runs one node through the backend's per-op run() (its CPU kernel)
// over host values (TensorData), with attributes resolved once at compile time: what every node
// without a fused WebAssembly step becomes, and the fallback of fused steps when a shape is
// outside their kernels' range.
import type { Backend, BackendNode, Node, TensorData } from '@efficientdl/ir';
import type { RunContext, Step } from './step.js';

export class KernelStep implements Step {
  readonly kind: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  private readonly outputCount: number;

  constructor(
    private readonly node: Node,
    private readonly backendNode: BackendNode,
    private readonly backend: Backend<TensorData>,
  ) {
    this.kind = `kernel ${node.op}`;
    this.inputs = node.inputs.filter((name) => name !== '');
    let count = node.outputs.length;
    while (count > 1 && node.outputs[count - 1] === '') count--;
    this.outputCount = count;
    this.outputs = node.outputs.filter((name) => name !== '');
  }

  run(context: RunContext): void {
    const { values } = context;
    const inputs = this.node.inputs.map((name) => (name === '' ? undefined : values.hostValue(name)));
    const results = this.backend.run(this.backendNode, inputs, this.outputCount);
    this.node.outputs.forEach((name, index) => {
      const result = results[index];
      if (name !== '' && result) values.setHost(name, result);
    });
  }

  dispose(): void {}
}
