// Coupling rules of pooling and shape ops: pooling keeps batch and channel axes; Concat gives
// each input a window of the output's channels and Split each output a window of the input's;
// Reshape/Flatten/Squeeze/Unsqueeze follow the dims from static shapes (a channel axis merged
// with the dims after it becomes a block of the merged axis: Flatten (N, C, H, W) → (N, C·H·W));
// Transpose permutes; Reduce*, Softmax, Pad and Resize keep the axes they do not touch.
import { normalizeAxis, toNumberArray } from '@efficientdl/ir';
import { type Coupling, type CouplingMember, type CouplingRule, type RuleContext, input, member, output, product } from './coupling-types.js';
import { IDENTITY, type IndexMap, expandMap, windowMap } from './index-map.js';

export const POOL_OPS = ['MaxPool', 'AveragePool', 'LpPool', 'GlobalAveragePool', 'GlobalMaxPool', 'GlobalLpPool'] as const;

/** Axes 0 and 1 of X pass to every output (MaxPool's Indices too). */
export const poolRule: CouplingRule = (context) =>
  [0, 1].map((axis) => ({
    members: [
      member(input(0), axis, IDENTITY),
      ...context.node.outputs.flatMap((name, index) => (name === '' ? [] : [member(output(index), axis, IDENTITY)])),
    ],
  }));

/** One class per axis; on the split/concat axis each part gets its window of the whole. */
function partsRule(context: RuleContext, whole: 'input' | 'output'): Coupling[] {
  const wholePort = whole === 'input' ? input(0) : output(0);
  const wholeShape = context.shape(wholePort);
  if (!wholeShape) return [];
  const axis = normalizeAxis(Number(context.attrs.axis ?? 0), wholeShape.length, context.node.op);
  const names = whole === 'input' ? context.node.outputs : context.node.inputs;
  const parts = names.flatMap((name, index) => {
    const port = whole === 'input' ? output(index) : input(index);
    const shape = name === '' ? undefined : context.shape(port);
    return shape ? [{ port, shape }] : [];
  });
  const couplings: Coupling[] = [];
  for (let current = 0; current < wholeShape.length; current++) {
    const members: CouplingMember[] = [member(wholePort, current, IDENTITY)];
    let offset = 0;
    for (const part of parts) {
      const length = part.shape[current] as number;
      members.push(member(part.port, current, current === axis ? windowMap(offset, length) : IDENTITY));
      offset += length;
    }
    couplings.push({ members });
  }
  return couplings;
}

export const concatRule: CouplingRule = (context) => partsRule(context, 'output');
export const splitRule: CouplingRule = (context) => partsRule(context, 'input');

/**
 * Couples input axis `axis` with the output axis that holds it when a reshape keeps the dims
 * before it: identity when the dim survives as is, expand(f) when it is merged with the dims
 * after it (f = their product); undefined when it is split or merged with earlier dims.
 */
export function reshapeAxisMap(from: readonly number[], to: readonly number[], axis: number): { axis: number; map: IndexMap } | undefined {
  const size = from[axis] as number;
  const before = product(from.slice(0, axis));
  for (let target = 0; target < to.length; target++) {
    if (product(to.slice(0, target)) !== before) continue;
    const merged = to[target] as number;
    if (merged % size !== 0 || (size > 1 && merged === 1)) continue;
    for (let end = axis + 1; end <= from.length; end++) {
      const covered = product(from.slice(axis, end));
      if (covered > merged) break;
      if (covered === merged && product(from.slice(end)) === product(to.slice(target + 1))) {
        return { axis: target, map: expandMap(merged / size) };
      }
    }
  }
  return undefined;
}

/** Reshape, Flatten, Squeeze, Unsqueeze: axes located by static shapes. */
export const reshapeRule: CouplingRule = (context) => {
  const from = context.shape(input(0));
  const to = context.shape(output(0));
  if (!from || !to) return [];
  const couplings: Coupling[] = [];
  from.forEach((_, axis) => {
    const found = reshapeAxisMap(from, to, axis);
    if (found) couplings.push({ members: [member(input(0), axis, IDENTITY), member(output(0), found.axis, found.map)] });
  });
  return couplings;
};

export const transposeRule: CouplingRule = (context) => {
  const shape = context.shape(input(0));
  if (!shape) return [];
  const perm = (context.attrs.perm as number[] | undefined) ?? shape.map((_, axis) => shape.length - 1 - axis);
  return perm.map((source, target) => ({ members: [member(input(0), source, IDENTITY), member(output(0), target, IDENTITY)] }));
};

function constantAxes(context: RuleContext, rank: number): number[] | undefined {
  const fromInput = context.constant(1);
  const values = fromInput ? Array.from(toNumberArray(fromInput)) : (context.attrs.axes as number[] | undefined);
  return values?.map((axis) => normalizeAxis(axis, rank, context.node.op));
}

/** Reduce* ops: the kept axes pass through (renumbered when keepdims = 0). */
export const reduceRule: CouplingRule = (context) => {
  const shape = context.shape(input(0));
  if (!shape) return [];
  const axes = constantAxes(context, shape.length);
  const noopEmpty = Number(context.attrs.noop_with_empty_axes ?? 0) !== 0;
  const reduced = axes && axes.length > 0 ? axes : noopEmpty ? [] : shape.map((_, axis) => axis);
  const keep = Number(context.attrs.keepdims ?? 1) !== 0;
  const couplings: Coupling[] = [];
  let target = 0;
  shape.forEach((_, axis) => {
    if (reduced.includes(axis)) {
      if (keep) target++;
      return;
    }
    couplings.push({ members: [member(input(0), axis, IDENTITY), member(output(0), target, IDENTITY)] });
    target++;
  });
  return couplings;
};

/** Softmax-like ops: every axis but `axis` passes through. */
export const softmaxRule: CouplingRule = (context) => {
  const shape = context.shape(input(0));
  if (!shape) return [];
  const axis = normalizeAxis(Number(context.attrs.axis ?? -1), shape.length, context.node.op);
  return shape.flatMap((_, current) => (current === axis ? [] : [{ members: [member(input(0), current, IDENTITY), member(output(0), current, IDENTITY)] }]));
};

/** Pad and Resize: axes whose size the op does not change pass through. */
export const sizePreservingRule: CouplingRule = (context) => {
  const from = context.shape(input(0));
  const to = context.shape(output(0));
  if (!from || !to || from.length !== to.length) return [];
  if (context.node.op === 'Resize' && (context.node.inputs[3] ?? '') !== '') return []; // explicit sizes would go stale
  return from.flatMap((size, axis) => (size === to[axis] && !padsAxis(context, axis) ? [{ members: [member(input(0), axis, IDENTITY), member(output(0), axis, IDENTITY)] }] : []));
};

function padsAxis(context: RuleContext, axis: number): boolean {
  if (context.node.op !== 'Pad') return false;
  const pads = context.constant(1);
  if (!pads) return true;
  const values = Array.from(toNumberArray(pads));
  const rank = values.length / 2;
  const axesInput = context.constant(3);
  const axes = axesInput ? Array.from(toNumberArray(axesInput)) : Array.from({ length: rank }, (_, index) => index);
  const position = axes.indexOf(axis);
  return position >= 0 && (values[position] !== 0 || values[position + rank] !== 0);
}
