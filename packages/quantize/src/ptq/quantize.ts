// quantize(model, int8Static({...})): static post-training quantization of a float graph into
// ONNX QDQ form. BatchNorm is folded first; the planned activations are calibrated with the
// chosen observer; weights are quantized per channel; the result runs anywhere QDQ runs
// (onnxruntime, backend-cpu) and lowerToIntegerOps turns it into integer kernels.
import { type Graph, foldBatchNorm } from '@efficientdl/ir';
import type { GraphModule } from '@efficientdl/nn';
import { createObserver } from '../observers/create-observer.js';
import type { Observer } from '../observers/observer.js';
import { type QuantParams, chooseQuantParams } from '../primitives/choose-params.js';
import { calibrate } from './calibrate.js';
import type { ActivationReport, Int8StaticConfig, QuantizeReport } from './int8-static.js';
import { buildNamedQdqGraph } from './qdq-graph.js';
import { planQuantization } from './quantization-plan.js';

export interface QuantizeResult {
  /** The quantized model in ONNX QDQ form. */
  readonly graph: Graph;
  readonly report: QuantizeReport;
}

function graphOf(model: GraphModule | Graph): Graph {
  return 'toGraph' in model ? model.toGraph() : model;
}

function observerName(config: Int8StaticConfig): string {
  return typeof config.observer === 'string' ? config.observer : config.observer.kind;
}

/** Quantizes `model` with a static int8 strategy (see int8Static). */
export async function quantize(model: GraphModule | Graph, config: Int8StaticConfig): Promise<QuantizeResult> {
  const graph = foldBatchNorm(graphOf(model));
  const plan = planQuantization(graph, { fuseRelu: !config.symmetricActivations });
  const dtype = config.activationDType;
  const observers = new Map<string, Observer>(
    plan.observed.map((name) => [name, createObserver(config.observer, name, { dtype, symmetric: config.symmetricActivations })]),
  );
  const calibration = await calibrate(graph, config.calibration, observers);
  const activationParams = new Map<string, QuantParams>();
  const activations: ActivationReport[] = [];
  const constantWarnings: string[] = [];
  for (const [name, observer] of observers) {
    const observed = observer.computeRange();
    const range = plan.reluOutputs.has(name) ? { min: Math.max(observed.min, 0), max: Math.max(observed.max, 0) } : observed;
    const params = chooseQuantParams({ ...range, dtype, symmetric: config.symmetricActivations });
    if (observed.min === observed.max) {
      constantWarnings.push(`'${name}': every calibration value is ${observed.min}; quantizing it with scale ${params.scale}, zero point ${params.zeroPoint}`);
    }
    activationParams.set(name, params);
    activations.push({ name, range, scale: params.scale, zeroPoint: params.zeroPoint });
  }
  for (const [name, source] of plan.shared) {
    const params = activationParams.get(source) as QuantParams;
    activations.push({ name, scale: params.scale, zeroPoint: params.zeroPoint, sharedWith: source });
  }
  const warnings = [...[...observers.values()].flatMap((observer) => observer.warnings), ...constantWarnings];
  if (plan.sites.length === 0) warnings.push(`graph '${graph.name}' has no Conv, Gemm or MatMul to quantize`);
  const qdq = buildNamedQdqGraph({ graph, plan, activationParams, perChannel: config.perChannel });
  const named = activations.map((activation) => ({ ...activation, values: qdq.pairs.get(activation.name) }));
  const weights = plan.sites
    .filter((site) => site.weight)
    .map((site) => ({ node: site.node.name, op: site.node.op, weight: site.weight as string, reluFused: site.fusedRelu !== undefined }));
  return {
    graph: qdq.graph,
    report: { kind: 'int8Static', observer: observerName(config), calibration, activations: named, weights, warnings },
  };
}
