// Weight-sparse compute ops of domain ai.efficientdl, the execution form of pruned layers:
//   SparseGemm(A, values, indices, row_pointers?, C?) = A · Wᵀ + C   (Linear: W (N, K), C (N))
//   SparseConv(X, values, indices, row_pointers?, B?) = Conv(X, W) + B (2-D, ONNX Conv attributes)
// where the dense weight W (shape in attribute weight_shape) is stored in format 'csr' (values,
// int32 indices, int32 row_pointers) or 'nm' (values and uint8 in-group positions, n:m groups along
// the reduction dimension); see sparse-weight-formats.ts. Not the SIGE activation-sparse conv.
// Inference-only (not differentiable). onnxruntime has no kernel for them: the dense graph is what
// goes to onnxruntime.
import type { DType } from '../dtype.js';
import { type AttrSpec, EFFICIENTDL_DOMAIN, type InferenceContext, type OpSchema, type ValueInfo } from '../op-schema.js';
import { type Dim, formatShape } from '../shape.js';
import { CONV_ATTRS, convOutputShape } from './convolution.js';
import { input, intAttr, intsAttr, requireChoice, sameDType, shapeError } from './infer-helpers.js';
import { nmGroupCount } from './sparse-weight-formats.js';

const VALUE_TYPES: readonly DType[] = ['float32'];
const INDEX_TYPES: readonly DType[] = ['int32', 'uint8'];

const SPARSE_ATTRS: Readonly<Record<string, AttrSpec>> = {
  format: { type: 'string', default: 'csr' },
  weight_shape: { type: 'ints', required: true },
  n: { type: 'int', default: 2 },
  m: { type: 'int', default: 4 },
};

const SPARSE_INPUTS = [
  { name: 'values', dtypes: VALUE_TYPES },
  { name: 'indices', dtypes: INDEX_TYPES },
  { name: 'row_pointers', optional: true, dtypes: ['int32'] as readonly DType[] },
];

function isKnown(dim: Dim | undefined): dim is number {
  return typeof dim === 'number';
}

/** Checks values / indices / row_pointers against weight_shape and the format; returns the weight shape. */
function checkSparseWeight(context: InferenceContext, rank: number): number[] {
  const format = requireChoice(context, 'format', ['csr', 'nm']);
  const weightShape = intsAttr(context, 'weight_shape');
  if (weightShape.length !== rank || weightShape.some((dim) => !Number.isInteger(dim) || dim < 1)) {
    shapeError(context, `weight_shape ${formatShape(weightShape)} must be ${rank} positive dims`);
  }
  const rows = weightShape[0] as number;
  const cols = weightShape.slice(1).reduce((product, dim) => product * dim, 1);
  const values = input(context, 1);
  const indices = input(context, 2);
  const pointers = context.inputs[3];
  if (format === 'csr') {
    if (indices.dtype !== 'int32') shapeError(context, `csr indices must be int32, got ${indices.dtype}`);
    if (values.shape.length !== 1 || indices.shape.length !== 1) shapeError(context, 'csr values and indices must be 1-D');
    if (isKnown(values.shape[0]) && isKnown(indices.shape[0]) && values.shape[0] !== indices.shape[0]) shapeError(context, 'csr values and indices differ in length');
    if (!pointers) shapeError(context, 'csr needs row_pointers (input 3)');
    if (pointers.shape.length !== 1 || (isKnown(pointers.shape[0]) && pointers.shape[0] !== rows + 1)) {
      shapeError(context, `row_pointers must be (${rows + 1}) for weight_shape ${formatShape(weightShape)}`);
    }
    return weightShape;
  }
  const n = intAttr(context, 'n');
  const m = intAttr(context, 'm');
  if (!(n >= 1 && n < m && m <= 255)) shapeError(context, `n:m = ${n}:${m} must satisfy 1 <= n < m <= 255`);
  if (indices.dtype !== 'uint8') shapeError(context, `nm indices must be uint8, got ${indices.dtype}`);
  if (pointers) shapeError(context, 'nm takes no row_pointers');
  const expected = [rows, nmGroupCount(cols, m) * n];
  for (const [what, info] of [['values', values], ['indices', indices]] as const) {
    if (info.shape.length !== 2 || info.shape.some((dim, axis) => isKnown(dim) && dim !== expected[axis])) {
      shapeError(context, `nm ${what} must be ${formatShape(expected)} for weight_shape ${formatShape(weightShape)} and ${n}:${m}`);
    }
  }
  return weightShape;
}

function checkBias(context: InferenceContext, index: number, length: number): void {
  const bias = context.inputs[index];
  if (!bias) return;
  if (bias.shape.length !== 1 || (isKnown(bias.shape[0]) && bias.shape[0] !== length)) shapeError(context, `bias ${formatShape(bias.shape)} must be (${length})`);
}

const SparseGemm: OpSchema = {
  name: 'SparseGemm',
  domain: EFFICIENTDL_DOMAIN,
  inputs: [{ name: 'A', dtypes: VALUE_TYPES }, ...SPARSE_INPUTS, { name: 'C', optional: true, dtypes: VALUE_TYPES }],
  outputs: [{ name: 'Y' }],
  attrs: SPARSE_ATTRS,
  differentiable: false,
  doc: 'Y (M, N) = A (M, K) · Wᵀ + C (N), W (N, K) = weight_shape stored sparse (csr or n:m).',
  infer(context): ValueInfo[] {
    const dtype = sameDType(context, [0, 1, 4]);
    const [outFeatures, inFeatures] = checkSparseWeight(context, 2) as [number, number];
    const a = input(context, 0).shape;
    if (a.length !== 2) shapeError(context, `A must be 2-D, got ${formatShape(a)}`);
    if (isKnown(a[1]) && a[1] !== inFeatures) shapeError(context, `A ${formatShape(a)} has ${a[1]} features, weight_shape has ${inFeatures}`);
    checkBias(context, 4, outFeatures);
    return [{ dtype, shape: [a[0] as Dim, outFeatures] }];
  },
};

const SparseConv: OpSchema = {
  name: 'SparseConv',
  domain: EFFICIENTDL_DOMAIN,
  inputs: [{ name: 'X', dtypes: VALUE_TYPES }, ...SPARSE_INPUTS, { name: 'B', optional: true, dtypes: VALUE_TYPES }],
  outputs: [{ name: 'Y' }],
  attrs: { ...CONV_ATTRS, ...SPARSE_ATTRS },
  differentiable: false,
  doc: '2-D Conv(X (N, C, H, W), W) + B (M) with W (M, C/group, kH, kW) = weight_shape stored sparse (csr or n:m).',
  infer(context): ValueInfo[] {
    const dtype = sameDType(context, [0, 1, 4]);
    const weightShape = checkSparseWeight(context, 4);
    if (input(context, 0).shape.length !== 4) shapeError(context, `X must be (N, C, H, W), got ${formatShape(input(context, 0).shape)}`);
    checkBias(context, 4, weightShape[0] as number);
    // Conv's own inference on a view whose W is the dense weight shape
    const dense: InferenceContext = { ...context, inputs: [context.inputs[0], { dtype, shape: weightShape }] };
    return [{ dtype, shape: convOutputShape(dense, { x: 0, w: 1 }) }];
  },
};

export const SPARSE_OPS: readonly OpSchema[] = [SparseGemm, SparseConv];
