// Coupling rules of the parameterised layers: Conv (dense, depthwise with channel multiplier,
// grouped), Gemm, MatMul, BatchNormalization, InstanceNormalization, LayerNormalization and
// GroupNormalization. Output channels of a layer couple with its weight's output axis and bias;
// input channels with the weight's input axis. Norm layers pass channels through and couple
// their per-channel parameters and statistics.
import { type Coupling, type CouplingMember, type CouplingRule, input, member, output } from './coupling-types.js';
import { IDENTITY, expandMap } from './index-map.js';

function batchCoupling(): Coupling {
  return { members: [member(input(0), 0, IDENTITY), member(output(0), 0, IDENTITY)] };
}

function optionalMember(present: boolean, members: CouplingMember[], extra: CouplingMember): void {
  if (present) members.push(extra);
}

// Conv: X (N, C, ...spatial), W (M, C / group, ...kernel), B (M) → Y (N, M, ...spatial)
export const convRule: CouplingRule = (context) => {
  const x = context.shape(input(0));
  const weight = context.shape(input(1));
  if (!x || !weight) return [];
  const group = Number(context.attrs.group ?? 1);
  const channels = x[1] as number;
  const outChannels = weight[0] as number;
  const hasBias = (context.node.inputs[2] ?? '') !== '';
  if (group === 1) {
    const outputs = [member(output(0), 1, IDENTITY), member(input(1), 0, IDENTITY, 'weight')];
    optionalMember(hasBias, outputs, member(input(2), 0, IDENTITY, 'bias'));
    return [batchCoupling(), { members: [member(input(0), 1, IDENTITY), member(input(1), 1, IDENTITY, 'weight')] }, { members: outputs }];
  }
  if (group === channels) {
    // depthwise: input channel c feeds output channels [c·m, (c + 1)·m), m = M / C
    const multiplier = expandMap(outChannels / channels);
    const members = [member(input(0), 1, IDENTITY), member(output(0), 1, multiplier), member(input(1), 0, multiplier, 'weight')];
    optionalMember(hasBias, members, member(input(2), 0, multiplier, 'bias'));
    return [batchCoupling(), { members }];
  }
  const outputs = [member(output(0), 1, IDENTITY), member(input(1), 0, IDENTITY, 'weight')];
  optionalMember(hasBias, outputs, member(input(2), 0, IDENTITY, 'bias'));
  return [
    batchCoupling(),
    { members: [member(input(0), 1, IDENTITY)], blocked: `input channels of grouped Conv '${context.node.name}' (group ${group})` },
    { members: outputs, evenGroups: group, canonicalSize: outChannels },
  ];
};

// Gemm: A (M, K) or (K, M) with transA, B (K, N) or (N, K) with transB, C broadcast to (M, N)
export const gemmRule: CouplingRule = (context) => {
  const transA = Number(context.attrs.transA ?? 0) !== 0;
  const transB = Number(context.attrs.transB ?? 0) !== 0;
  const outputShape = context.shape(output(0));
  const bias = (context.node.inputs[2] ?? '') !== '' ? context.shape(input(2)) : undefined;
  const columns = [member(output(0), 1, IDENTITY), member(input(1), transB ? 0 : 1, IDENTITY, 'weight')];
  const rows = [member(output(0), 0, IDENTITY), member(input(0), transA ? 1 : 0, IDENTITY, 'weight')];
  if (bias && outputShape) {
    const last = bias.length - 1;
    if (last >= 0 && bias[last] === outputShape[1] && bias[last] !== 1) columns.push(member(input(2), last, IDENTITY, 'bias'));
    if (bias.length === 2 && bias[0] === outputShape[0] && bias[0] !== 1) rows.push(member(input(2), 0, IDENTITY, 'bias'));
  }
  const inner = [member(input(0), transA ? 0 : 1, IDENTITY, 'weight'), member(input(1), transB ? 1 : 0, IDENTITY, 'weight')];
  return [{ members: inner }, { members: columns }, { members: rows }];
};

// MatMul (numpy): A (..., M, K) · B (..., K, N) → (..., M, N); 1-D operands get no row/column axis
export const matmulRule: CouplingRule = (context) => {
  const a = context.shape(input(0));
  const b = context.shape(input(1));
  const out = context.shape(output(0));
  if (!a || !b || !out || a.length < 1 || b.length < 1) return [];
  const couplings: Coupling[] = [
    { members: [member(input(0), a.length - 1, IDENTITY, 'weight'), member(input(1), b.length === 1 ? 0 : b.length - 2, IDENTITY, 'weight')] },
  ];
  if (b.length >= 2) couplings.push({ members: [member(output(0), out.length - 1, IDENTITY), member(input(1), b.length - 1, IDENTITY, 'weight')] });
  if (a.length >= 2) couplings.push({ members: [member(input(0), a.length - 2, IDENTITY, 'weight'), member(output(0), out.length - (b.length >= 2 ? 2 : 1), IDENTITY)] });
  const batchRank = out.length - (a.length >= 2 ? 1 : 0) - (b.length >= 2 ? 1 : 0);
  for (let axis = 0; axis < batchRank; axis++) {
    const members = [member(output(0), axis, IDENTITY)];
    for (const [index, shape] of [a, b].entries()) {
      const own = axis - (out.length - shape.length);
      if (own >= 0 && shape[own] === out[axis] && shape[own] !== 1) members.push(member(input(index), own, IDENTITY));
    }
    couplings.push({ members });
  }
  return couplings;
};

/** Axes other than the channel axis pass through X → Y (and extra outputs of the same rank). */
function passThrough(context: Parameters<CouplingRule>[0], skip: readonly number[]): Coupling[] {
  const x = context.shape(input(0));
  if (!x) return [];
  const couplings: Coupling[] = [];
  for (let axis = 0; axis < x.length; axis++) {
    if (skip.includes(axis)) continue;
    const members = [member(input(0), axis, IDENTITY)];
    context.node.outputs.forEach((name, index) => {
      if (name !== '' && context.shape(output(index))?.length === x.length) members.push(member(output(index), axis, IDENTITY));
    });
    couplings.push({ members });
  }
  return couplings;
}

// BatchNormalization: X (N, C, ...), scale/B/mean/var (C) → Y (+ running mean/var in training mode)
export const batchNormRule: CouplingRule = (context) => {
  const roles = ['norm-scale', 'norm-shift', 'statistic', 'statistic'] as const;
  const members = [member(input(0), 1, IDENTITY), member(output(0), 1, IDENTITY)];
  roles.forEach((role, index) => optionalMember((context.node.inputs[index + 1] ?? '') !== '', members, member(input(index + 1), 0, IDENTITY, role)));
  for (const index of [1, 2]) optionalMember((context.node.outputs[index] ?? '') !== '', members, member(output(index), 0, IDENTITY));
  return [...passThrough(context, [1]), { members }];
};

// InstanceNormalization: X (N, C, ...), scale/B (C)
export const instanceNormRule: CouplingRule = (context) => [
  ...passThrough(context, [1]),
  {
    members: [
      member(input(0), 1, IDENTITY),
      member(output(0), 1, IDENTITY),
      member(input(1), 0, IDENTITY, 'norm-scale'),
      member(input(2), 0, IDENTITY, 'norm-shift'),
    ],
  },
];

// GroupNormalization (opset 21): X (N, C, ...), scale/bias (C); channels prune equally per group
export const groupNormRule: CouplingRule = (context) => {
  const x = context.shape(input(0));
  const groups = Number(context.attrs.num_groups);
  const members = [
    member(input(0), 1, IDENTITY),
    member(output(0), 1, IDENTITY),
    member(input(1), 0, IDENTITY, 'norm-scale'),
    member(input(2), 0, IDENTITY, 'norm-shift'),
  ];
  return [...passThrough(context, [1]), { members, evenGroups: groups, canonicalSize: x?.[1] as number }];
};

// LayerNormalization(axis): normalizes X over [axis, rank); only a single normalized (last) axis is prunable
export const layerNormRule: CouplingRule = (context) => {
  const x = context.shape(input(0));
  if (!x) return [];
  const rank = x.length;
  const first = (((Number(context.attrs.axis ?? -1) % rank) + rank) % rank) as number;
  const normalized = Array.from({ length: rank - first }, (_, offset) => first + offset);
  const couplings = passThrough(context, normalized);
  if (normalized.length === 1) {
    const members = [member(input(0), first, IDENTITY), member(output(0), first, IDENTITY), member(input(1), 0, IDENTITY, 'norm-scale')];
    optionalMember((context.node.inputs[2] ?? '') !== '', members, member(input(2), 0, IDENTITY, 'norm-shift'));
    couplings.push({ members });
  } else {
    for (const axis of normalized) {
      couplings.push({ members: [member(input(0), axis, IDENTITY)], blocked: `LayerNormalization '${context.node.name}' normalizes several axes together` });
    }
  }
  return couplings;
};
