// QatModel: a float graph (BatchNorm folded) run with fake quantization where the QDQ graph will
// quantize, so training sees the quantization error. Placement follows the PTQ plan
// (planQuantization): Conv/Gemm/MatMul weights per output channel (symmetric, from the current
// weights at every forward), observed activations per tensor from a moving-average min/max
// observer that updates in training mode (and on first use), fused-ReLU outputs from 0, and
// biases rounded to int32 like the export. Values that share their input's parameters (MaxPool,
// Flatten…) stay on the grid and need no pass.
import { ConfigError, type Graph, type Node, type TensorData, fromNumbers, isFloatDType, topologicalOrder, withGraph } from '@efficientdl/ir';
import { Module } from '@efficientdl/nn';
import { F, Tensor, runOp } from '@efficientdl/tensor';
import { type ObserverConfig, createObserver } from '../observers/create-observer.js';
import type { Observer, ObserverKind } from '../observers/observer.js';
import {
  type QuantParams,
  type TensorQuantParams,
  chooseQuantParams,
  chooseQuantParamsPerChannel,
} from '../primitives/index.js';
import type { ComputeSite, QuantizationPlan } from '../ptq/quantization-plan.js';
import { channelScales, quantizeBias, weightChannelAxis } from '../ptq/weight-quantization.js';
import { fakeQuantize } from './fake-quantize.js';

export interface QatSettings {
  readonly weightDType: 'int8' | 'int4';
  readonly activationDType: 'uint8' | 'int8';
  /** Weights: one scale per output channel (true) or per tensor. */
  readonly perChannel: boolean;
  readonly observer: ObserverKind | ObserverConfig;
}

function copyData(data: TensorData): TensorData {
  return { dtype: data.dtype, shape: [...data.shape], data: data.data.slice() as TensorData['data'] };
}

export class QatModel extends Module<Tensor | Tensor[]> {
  readonly graph: Graph;
  readonly plan: QuantizationPlan;
  readonly settings: QatSettings;
  private readonly order: readonly Node[];
  private readonly observers = new Map<string, Observer>();
  private readonly weightAxes = new Map<string, number>();
  private readonly biasSites = new Map<string, ComputeSite>();
  private observersFrozen = false;

  constructor(options: { graph: Graph; plan: QuantizationPlan; settings: QatSettings }) {
    super();
    this.graph = options.graph;
    this.plan = options.plan;
    this.settings = options.settings;
    this.order = topologicalOrder(this.graph);
    for (const [name, data] of this.graph.initializers) {
      const tensor = new Tensor(copyData(data));
      if (isFloatDType(data.dtype)) this.registerParameter(name, tensor);
      else this.registerBuffer(name, tensor);
    }
    for (const name of this.plan.observed) this.observers.set(name, createObserver(this.settings.observer, name, { dtype: this.settings.activationDType }));
    for (const site of this.plan.sites) {
      if (site.weight) this.weightAxes.set(site.weight, weightChannelAxis(site.node.op, this.graph.initializers.get(site.weight) as TensorData, site.node.attrs));
      if (site.weight && site.bias) this.biasSites.set(site.node.name, site);
    }
  }

  protected override allowsDottedNames(): boolean {
    return true;
  }

  /** Stops (or restarts) updating activation ranges, e.g. for the last QAT epochs. */
  freezeObservers(frozen = true): void {
    this.observersFrozen = frozen;
  }

  /** Current per-channel (or per-tensor) symmetric parameters of weight `name`. */
  weightParams(name: string): QuantParams | TensorQuantParams {
    const axis = this.weightAxes.get(name);
    const tensor = this.getParameter(name);
    if (axis === undefined || !tensor) throw new ConfigError(`QatModel: '${name}' is not a quantized weight`, { name });
    const dtype = this.settings.weightDType;
    if (this.settings.perChannel) return chooseQuantParamsPerChannel({ tensor: tensor.data, axis, dtype, symmetric: true, narrowRange: true });
    let bound = 0;
    for (const value of tensor.values as Float32Array) bound = Math.max(bound, Math.abs(value));
    return chooseQuantParams({ min: -bound, max: bound, dtype, symmetric: true, narrowRange: true });
  }

  /** Parameters of every observed activation (ranges so far; fused-ReLU outputs start at 0). */
  activationParams(): Map<string, QuantParams> {
    const params = new Map<string, QuantParams>();
    for (const name of this.observers.keys()) params.set(name, this.activationParamsOf(name));
    return params;
  }

  private activationParamsOf(name: string): QuantParams {
    const range = (this.observers.get(name) as Observer).computeRange();
    const clipped = this.plan.reluOutputs.has(name) ? { min: Math.max(range.min, 0), max: Math.max(range.max, 0) } : range;
    return chooseQuantParams({ ...clipped, dtype: this.settings.activationDType, symmetric: false });
  }

  private quantizeActivation(name: string, value: Tensor): Tensor {
    const observer = this.observers.get(name);
    if (!observer) return value;
    if ((this.training && !this.observersFrozen) || observer.count === 0) observer.observe(value.values as Float32Array);
    return fakeQuantize(value, this.activationParamsOf(name));
  }

  forward(...inputs: Tensor[]): Tensor | Tensor[] {
    const values = new Map<string, Tensor>();
    const graphInputs = this.graph.inputs.filter((input) => !this.graph.initializers.has(input.name));
    if (inputs.length !== graphInputs.length) {
      throw new ConfigError(`QatModel '${this.graph.name}': expected ${graphInputs.length} inputs, got ${inputs.length}`);
    }
    graphInputs.forEach((input, index) => values.set(input.name, this.quantizeActivation(input.name, inputs[index] as Tensor)));
    const weightParams = new Map<string, QuantParams | TensorQuantParams>();
    for (const [name] of this.graph.initializers) {
      const tensor = (this.getParameter(name) ?? this.getBuffer(name)) as Tensor;
      if (this.weightAxes.has(name)) weightParams.set(name, this.weightParams(name));
      const params = weightParams.get(name);
      values.set(name, params ? fakeQuantize(tensor, params) : tensor);
    }
    for (const node of this.order) this.runNode(node, values, weightParams);
    const outputs = this.graph.outputs.map((output) => values.get(output.name) as Tensor);
    return outputs.length === 1 ? (outputs[0] as Tensor) : outputs;
  }

  private runNode(node: Node, values: Map<string, Tensor>, weightParams: Map<string, QuantParams | TensorQuantParams>): void {
    const inputs = node.inputs.map((name) => (name === '' ? undefined : values.get(name)));
    const site = this.biasSites.get(node.name);
    if (site && inputs[2]) inputs[2] = this.quantizeBias(site, inputs[2], weightParams.get(site.weight as string));
    const outputs = runNodeOp(node, inputs);
    node.outputs.forEach((name, index) => {
      const output = outputs[index];
      if (name !== '' && output) values.set(name, this.quantizeActivation(name, output));
    });
  }

  /**
   * The int32 bias rounding of the QDQ graph (scale = input scale · weight scale, as buildQdqGraph
   * writes it), with a straight-through gradient, so the QAT model computes what the export computes.
   */
  private quantizeBias(site: ComputeSite, bias: Tensor, params: QuantParams | TensorQuantParams | undefined): Tensor {
    const input = site.node.inputs[0] as string;
    const source = this.plan.shared.get(input) ?? input;
    const { alpha = 1, beta = 1 } = site.node.attrs as { alpha?: number; beta?: number };
    const channels = bias.shape[0] as number;
    if (!params || !this.observers.has(source) || alpha !== 1 || beta !== 1 || bias.rank !== 1) return bias;
    if ('scales' in params && params.scales.length !== channels) return bias;
    const { quantized, scales } = quantizeBias(bias.data, this.activationParamsOf(source).scale, channelScales(params, channels));
    const codes = quantized.data as Int32Array;
    const rounded = new Tensor(fromNumbers('float32', [channels], Float32Array.from(scales, (scale, channel) => (codes[channel] as number) * scale)));
    return F.add(rounded, F.sub(bias, bias.detach()));
  }

  /** The float graph with the current (trained) weights. */
  toGraph(): Graph {
    const initializers = new Map<string, TensorData>();
    for (const [name] of this.graph.initializers) initializers.set(name, copyData(((this.getParameter(name) ?? this.getBuffer(name)) as Tensor).data));
    return withGraph(this.graph, { initializers });
  }

  override describe(): string {
    return `QatModel('${this.graph.name}', ${this.settings.weightDType} weights, ${this.settings.activationDType} activations)`;
  }
}

function runNodeOp(node: Node, inputs: (Tensor | undefined)[]): Tensor[] {
  if (inputs.some((input, index) => input === undefined && node.inputs[index] !== '')) {
    throw new ConfigError(`QatModel: node '${node.name}' (${node.op}) reads a value that is not computed`, { node: node.name });
  }
  return runOp(node.op, inputs, node.attrs, { domain: node.domain, outputCount: node.outputs.length, name: node.name });
}
