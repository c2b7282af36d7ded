// gradcheck: compares autograd gradients of L = Σ fn(inputs) · W (W random, seeded) with central
// finite differences (L(x + ε) − L(x − ε)) / 2ε, element by element (torch.autograd.gradcheck's
// idea). L is accumulated in float64 on the host; use float64 inputs where the kernels allow it
// for tight tolerances, float32 with ε ≈ 1e-2…1e-3 and looser tolerances otherwise.
import { type StaticShape, type TensorData, formatShape, fromNumbers, isFloatDType, tensorData, toNumberArray, unravelIndex } from '@efficientdl/ir';
import { F, Generator, Tensor, noGrad } from '@efficientdl/tensor';

export interface GradcheckOptions {
  /** Finite-difference step (default 1e-6 for float64 inputs, 1e-2 for float32). */
  eps?: number;
  /** |analytic − numeric| <= atol + rtol · |numeric| (defaults 1e-5/1e-7 float64, 1e-2/1e-3 float32). */
  rtol?: number;
  atol?: number;
  /** Input positions to check (default: every floating-point input). */
  inputsToCheck?: readonly number[];
  /** Seed of the random output weights W. */
  seed?: number;
  /** Label for the report (default: the op that produced the first output). */
  name?: string;
}

export interface InputGradcheck {
  input: number;
  shape: StaticShape;
  ok: boolean;
  maxAbsDiff: number;
  maxRelDiff: number;
  /** Coordinates of the element that exceeds the tolerance most (or differs most when ok). */
  worstElement: number[];
  analytic: number;
  numeric: number;
}

export interface GradcheckReport {
  ok: boolean;
  op: string;
  inputs: InputGradcheck[];
  message: string;
}

type Fn = (...inputs: Tensor[]) => Tensor | readonly Tensor[];

function copyData(data: TensorData): TensorData {
  return tensorData(data.dtype, data.shape, data.data.slice());
}

function asList(value: Tensor | readonly Tensor[]): readonly Tensor[] {
  return value instanceof Tensor ? [value] : value;
}

/** Σ outputs · weights in float64 on the host (no tape). */
function lossValue(fn: Fn, inputs: readonly Tensor[], weights: readonly Float64Array[]): number {
  const outputs = noGrad(() => asList(fn(...inputs)));
  let total = 0;
  outputs.forEach((output, index) => {
    const values = toNumberArray(output.data);
    const weight = weights[index] as Float64Array;
    for (let element = 0; element < values.length; element++) total += (values[element] as number) * (weight[element] as number);
  });
  return total;
}

interface AnalyticRun {
  gradients: (Float64Array | undefined)[];
  weights: Float64Array[];
  op: string;
}

/** Runs fn with autograd: draws W per output, returns d(Σ outputs · W)/d(input) per checked input. */
function analyticGradients(fn: Fn, leaves: readonly Tensor[], generator: Generator): AnalyticRun {
  const outputs = asList(fn(...leaves));
  const weights = outputs.map((output) => Float64Array.from({ length: output.size }, () => generator.normal()));
  // One backward per output (outputs may differ in dtype); leaf .grad accumulates over them.
  outputs.forEach((output, index) => {
    if (output.size === 0 || !output.requiresGrad) return;
    const weight = new Tensor(fromNumbers(output.dtype, output.shape, weights[index] as Float64Array));
    F.reduceSum(F.mul(output, weight), { keepDims: false }).backward();
  });
  const gradients = leaves.map((leaf) => (leaf.requiresGrad ? (leaf.grad ? toNumberArray(leaf.grad.data) : new Float64Array(leaf.size)) : undefined));
  return { gradients, weights, op: outputs.find((output) => output.gradNode)?.gradNode?.op ?? 'fn' };
}

interface CheckSettings {
  eps: number;
  rtol: number;
  atol: number;
}

function checkInput(options: {
  fn: Fn;
  inputs: readonly Tensor[];
  weights: readonly Float64Array[];
  index: number;
  analytic: Float64Array;
  settings: CheckSettings;
}): InputGradcheck {
  const { fn, inputs, weights, index, analytic, settings } = options;
  const input = inputs[index] as Tensor;
  const base = toNumberArray(input.data);
  const result: InputGradcheck = { input: index, shape: input.shape, ok: true, maxAbsDiff: 0, maxRelDiff: 0, worstElement: [], analytic: 0, numeric: 0 };
  let worstExcess = Number.NEGATIVE_INFINITY;
  for (let element = 0; element < base.length; element++) {
    const evaluate = (offset: number): [number, number] => {
      const values = base.slice();
      values[element] = (values[element] as number) + offset;
      const perturbed = new Tensor(fromNumbers(input.dtype, input.shape, values));
      const stored = toNumberArray(perturbed.data)[element] as number;
      const replaced = inputs.map((other, position) => (position === index ? perturbed : other));
      return [lossValue(fn, replaced, weights), stored];
    };
    const [plus, plusAt] = evaluate(settings.eps);
    const [minus, minusAt] = evaluate(-settings.eps);
    const numeric = (plus - minus) / (plusAt - minusAt);
    const exact = analytic[element] as number;
    const difference = Math.abs(exact - numeric);
    const excess = Number.isNaN(difference) ? Number.POSITIVE_INFINITY : difference - (settings.atol + settings.rtol * Math.abs(numeric));
    result.maxAbsDiff = Math.max(result.maxAbsDiff, difference);
    result.maxRelDiff = Math.max(result.maxRelDiff, difference / Math.max(Math.abs(numeric), 1e-12));
    if (excess > worstExcess) {
      worstExcess = excess;
      result.worstElement = unravelIndex(element, input.shape);
      result.analytic = exact;
      result.numeric = numeric;
    }
    if (excess > 0) result.ok = false;
  }
  return result;
}

/** Compares autograd with finite differences and returns the report (never throws on mismatch). */
export function gradcheckReport(fn: Fn, inputs: readonly Tensor[], options: GradcheckOptions = {}): GradcheckReport {
  const leaves = inputs.map((input) => new Tensor(copyData(input.data)));
  const toCheck = options.inputsToCheck ?? leaves.flatMap((leaf, index) => (isFloatDType(leaf.dtype) ? [index] : []));
  for (const index of toCheck) (leaves[index] as Tensor).requireGrad(true);
  const precise = toCheck.every((index) => (leaves[index] as Tensor).dtype === 'float64');
  const settings: CheckSettings = {
    eps: options.eps ?? (precise ? 1e-6 : 1e-2),
    rtol: options.rtol ?? (precise ? 1e-5 : 1e-2),
    atol: options.atol ?? (precise ? 1e-7 : 1e-3),
  };
  const { gradients: analytic, weights, op: lastOp } = analyticGradients(fn, leaves, new Generator(options.seed ?? 12345));
  const op = options.name ?? lastOp;
  const plain = leaves.map((leaf) => new Tensor(leaf.data));
  const reports = toCheck.map((index) =>
    checkInput({ fn, inputs: plain, weights, index, analytic: analytic[index] as Float64Array, settings }),
  );
  const failed = reports.filter((report) => !report.ok);
  const describe = (report: InputGradcheck) =>
    `input ${report.input} ${formatShape(report.shape)}: max abs diff ${report.maxAbsDiff.toExponential(3)}, max rel diff ${report.maxRelDiff.toExponential(3)}, worst element [${report.worstElement.join(', ')}] analytic ${report.analytic} vs numeric ${report.numeric}`;
  const message = `gradcheck ${op} (eps ${settings.eps}, rtol ${settings.rtol}, atol ${settings.atol}): ${failed.length === 0 ? 'ok' : 'FAILED'}\n${(failed.length > 0 ? failed : reports).map(describe).join('\n')}`;
  return { ok: failed.length === 0, op, inputs: reports, message };
}

export class GradcheckError extends Error {
  readonly report: GradcheckReport;
  constructor(report: GradcheckReport) {
    super(report.message);
    this.name = 'GradcheckError';
    this.report = report;
  }
}

/** Like gradcheckReport, but throws a GradcheckError naming op, input, element and diffs on mismatch. */
export function gradcheck(fn: Fn, inputs: readonly Tensor[], options: GradcheckOptions = {}): GradcheckReport {
  const report = gradcheckReport(fn, inputs, options);
  if (!report.ok) throw new GradcheckError(report);
  return report;
}

export interface GradcheckTensorOptions {
  seed?: number;
  dtype?: 'float32' | 'float64';
  low?: number;
  high?: number;
  /** Non-differentiable points (Relu's 0, HardSwish's ±3): values within `margin` are pushed away. */
  awayFrom?: readonly number[];
  margin?: number;
}

/** A seeded uniform tensor for gradchecks (float64 by default), optionally kept away from kinks. */
export function gradcheckTensor(shape: readonly number[], options: GradcheckTensorOptions = {}): Tensor {
  const generator = new Generator(options.seed ?? 1);
  const low = options.low ?? -1;
  const high = options.high ?? 1;
  const margin = options.margin ?? 0.05;
  const count = shape.reduce((total, dim) => total * dim, 1);
  const values = Float64Array.from({ length: count }, () => {
    let value = low + (high - low) * generator.random();
    for (const kink of options.awayFrom ?? []) {
      if (Math.abs(value - kink) < margin) value = kink + (value >= kink ? 1 : -1) * margin * 1.001;
    }
    return value;
  });
  return new Tensor(fromNumbers(options.dtype ?? 'float64', shape, values));
}
