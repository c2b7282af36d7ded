// N-d indexing and contraction ops: GatherND (batch_dims), ScatterND (reduction none/add/mul/
// max/min) and Einsum (general equations: implicit/explicit output, repeated labels, ellipsis
// broadcasting). GatherND, ScatterND (data/updates) and Einsum are not differentiable here.
// reference: https://onnx.ai/onnx/operators/onnx__GatherND.html, onnx__ScatterND.html, onnx__Einsum.html
import type { InferenceContext, OpSchema } from '../op-schema.js';
import { ONNX_DOMAIN } from '../op-schema.js';
import { type Dim, formatShape } from '../shape.js';
import { broadcastInputs } from './elementwise.js';
import { ellipsisWidth, parseEinsumEquation } from './einsum-equation.js';
import { NUMERIC_TYPES, input, intAttr, requireChoice, sameDType, shapeError, stringAttr, unifyDims } from './infer-helpers.js';

/** The static last dim of the indices (how many data axes one index tuple addresses). */
function indexDepth(context: InferenceContext, indices: readonly Dim[]): number | undefined {
  if (indices.length < 1) shapeError(context, `indices must have rank >= 1, got ${formatShape(indices)}`);
  const depth = indices[indices.length - 1] as Dim;
  return typeof depth === 'number' ? depth : undefined;
}

const GatherND: OpSchema = {
  name: 'GatherND',
  domain: ONNX_DOMAIN,
  inputs: [{ name: 'data' }, { name: 'indices', dtypes: ['int64'] }],
  outputs: [{ name: 'output' }],
  attrs: { batch_dims: { type: 'int', default: 0 } },
  differentiable: false,
  infer(context) {
    // data: (B..., D...), indices: (B..., I..., k) → (B..., I..., D[batch + k:]...)
    const data = input(context, 0);
    const indices = input(context, 1).shape;
    const batch = intAttr(context, 'batch_dims');
    const depth = indexDepth(context, indices);
    if (batch < 0 || batch >= Math.min(data.shape.length, indices.length)) {
      shapeError(context, `batch_dims ${batch} must be < min(rank(data), rank(indices))`);
    }
    for (let axis = 0; axis < batch; axis++) unifyDims(context, data.shape[axis] as Dim, indices[axis] as Dim, `batch dim ${axis}`);
    if (depth === undefined) shapeError(context, `indices ${formatShape(indices)} need a static last dim to fix the output rank`);
    if (depth < 1 || batch + depth > data.shape.length) {
      shapeError(context, `indices last dim ${depth} + batch_dims ${batch} exceeds data rank ${data.shape.length}`);
    }
    return [{ dtype: data.dtype, shape: [...indices.slice(0, -1), ...data.shape.slice(batch + depth)] }];
  },
};

const ScatterND: OpSchema = {
  name: 'ScatterND',
  domain: ONNX_DOMAIN,
  inputs: [{ name: 'data' }, { name: 'indices', dtypes: ['int64'] }, { name: 'updates' }],
  outputs: [{ name: 'output' }],
  attrs: { reduction: { type: 'string', default: 'none' } },
  differentiable: false,
  infer(context) {
    requireChoice(context, 'reduction', ['none', 'add', 'mul', 'max', 'min']);
    const dtype = sameDType(context, [0, 2]);
    // data: (D...), indices: (I..., k), updates: (I..., D[k:]...)
    const data = input(context, 0).shape;
    const indices = input(context, 1).shape;
    const updates = input(context, 2).shape;
    const depth = indexDepth(context, indices);
    if (depth !== undefined) {
      if (depth < 1 || depth > data.length) shapeError(context, `indices last dim ${depth} exceeds data rank ${data.length}`);
      const expected = [...indices.slice(0, -1), ...data.slice(depth)];
      const matches = expected.length === updates.length && expected.every((dim, axis) => {
        const actual = updates[axis] as Dim;
        return typeof dim !== 'number' || typeof actual !== 'number' || dim === actual;
      });
      if (!matches) shapeError(context, `updates ${formatShape(updates)} must have shape ${formatShape(expected)}`);
    }
    return [{ dtype, shape: [...data] }];
  },
};

/** Einsum output shape: label dims unified across operands, ellipsis dims broadcast. */
function einsumShape(context: InferenceContext): Dim[] {
  const equation = parseEinsumEquation(context, stringAttr(context, 'equation'));
  if (equation.operands.length !== context.inputs.length) {
    shapeError(context, `equation has ${equation.operands.length} operands, node has ${context.inputs.length} inputs`);
  }
  const labelDims = new Map<string, Dim>();
  const ellipses: Dim[][] = [];
  equation.operands.forEach((term, index) => {
    const shape = input(context, index).shape;
    const width = ellipsisWidth(context, term, shape.length);
    let axis = 0;
    for (const label of term.labels) {
      if (label === '.') {
        ellipses.push(shape.slice(axis, axis + width));
        axis += width;
        continue;
      }
      const dim = shape[axis++] as Dim;
      const known = labelDims.get(label);
      // size-1 dims broadcast against a label's other occurrences
      if (known === undefined || known === 1) labelDims.set(label, dim);
      else if (dim !== 1) labelDims.set(label, unifyDims(context, known, dim, `einsum label '${label}'`));
    }
  });
  const broadcast = ellipses.length > 0 ? broadcastInputs(context, ellipses) : [];
  return equation.output.labels.flatMap((label) => (label === '.' ? broadcast : [labelDims.get(label) as Dim]));
}

const Einsum: OpSchema = {
  name: 'Einsum',
  domain: ONNX_DOMAIN,
  inputs: [{ name: 'Inputs', variadic: true, dtypes: NUMERIC_TYPES }],
  outputs: [{ name: 'Output' }],
  attrs: { equation: { type: 'string', required: true } },
  differentiable: false,
  infer(context) {
    const dtype = sameDType(context, context.inputs.map((_, index) => index));
    return [{ dtype, shape: einsumShape(context) }];
  },
};

export const INDEXING_OPS: readonly OpSchema[] = [GatherND, ScatterND, Einsum];
