// A compiled-graph step for Flatten and for Reshape with a constant shape: a new shape over the
// same elements, so a value in the WebAssembly memory stays there (same address) and a host value
// shares its storage. Shapes the rule cannot resolve run the per-op kernel (`fallback`), which
// also raises the typed error for invalid ones.
// reference: https://onnx.ai/onnx/operators/onnx__Flatten.html, https://onnx.ai/onnx/operators/onnx__Reshape.html
import { type StaticShape, shapeSize, tensorData } from '@efficientdl/ir';
import type { KernelStep } from './kernel-step.js';
import type { RunContext, Step } from './step.js';

export type ViewRule = { readonly kind: 'flatten'; readonly axis: number } | { readonly kind: 'reshape'; readonly target: readonly number[] };

/** The output shape of the rule for `shape`, or undefined when it does not apply. */
export function viewShape(rule: ViewRule, shape: StaticShape): StaticShape | undefined {
  if (rule.kind === 'flatten') {
    const axis = rule.axis < 0 ? rule.axis + shape.length : rule.axis;
    if (axis < 0 || axis > shape.length) return undefined;
    return [shapeSize(shape.slice(0, axis)), shapeSize(shape.slice(axis))];
  }
  // Reshape, allowzero = 0: 0 copies the input dim, one -1 is inferred
  const dims = rule.target.map((dim, axis) => (dim === 0 ? shape[axis] : dim));
  if (dims.some((dim) => dim === undefined || dim < -1) || dims.filter((dim) => dim === -1).length > 1) return undefined;
  const known = shapeSize((dims as number[]).filter((dim) => dim !== -1));
  const total = shapeSize(shape);
  const result = (dims as number[]).map((dim) => (dim === -1 ? (known === 0 ? -1 : total / known) : dim));
  if (result.some((dim) => dim < 0 || !Number.isInteger(dim)) || shapeSize(result) !== total) return undefined;
  return result;
}

export class ViewStep implements Step {
  readonly kind = 'view';
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];

  constructor(private readonly options: { input: string; output: string; rule: ViewRule; fallback: KernelStep }) {
    this.inputs = [options.input];
    this.outputs = [options.output];
  }

  run(context: RunContext): void {
    const { values } = context;
    const { input, output, rule } = this.options;
    const shape = values.isForwarded(input) ? undefined : viewShape(rule, values.shapeOf(input));
    if (!shape) {
      this.options.fallback.run(context);
      return;
    }
    const resident = values.residentValue(input);
    if (resident) {
      values.setResident(output, { address: resident.address, shape });
      return;
    }
    const source = values.hostValue(input);
    values.setHost(output, tensorData(source.dtype, shape, source.data));
  }

  dispose(): void {}
}
