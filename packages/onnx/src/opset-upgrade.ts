// Rewrites nodes of old default-domain opsets (7-20) into the modern forms our schemas follow
// (opset 21): attribute operands become int64/scalar initializer inputs, Upsample becomes Resize,
// opset<13 Softmax's 2-D coercion becomes Flatten → Softmax → Reshape, per-group GroupNorm
// scale/bias become per-channel. Operator changelog: https://github.com/onnx/onnx/blob/main/docs/Changelog.md
import { AttributeError, UnsupportedOpError, fromNumbers, normalizeAxis, toNumberArray } from '@efficientdl/ir';
import { type ImportNode, type UpgradeContext, dropAttrs, intsAttrToInput, scalarAttrToInput, setInput } from './upgrade-context.js';

type Upgrade = (node: ImportNode, context: UpgradeContext) => ImportNode[];

const REDUCE_OPS = ['ReduceMean', 'ReduceMax', 'ReduceMin', 'ReduceProd', 'ReduceL1', 'ReduceL2', 'ReduceLogSum', 'ReduceLogSumExp', 'ReduceSumSquare'];

function unsupported(node: ImportNode, context: UpgradeContext, why: string): UnsupportedOpError {
  return new UnsupportedOpError(`node '${node.name}' (${node.op}, opset ${context.opset}): ${why}`, { op: node.op, node: node.name });
}

/** The dtype of a node's first input, needed to type new scalar inputs. */
function inputDType(node: ImportNode, context: UpgradeContext) {
  const info = context.typeOf(node.inputs[0] ?? '');
  if (!info) throw unsupported(node, context, `cannot upgrade: the dtype of input '${node.inputs[0]}' is unknown`);
  return info.dtype;
}

const upgradeSlice: Upgrade = (node, context) => {
  if (context.opset < 10) {
    intsAttrToInput(node, 'starts', 1, context);
    intsAttrToInput(node, 'ends', 2, context);
    intsAttrToInput(node, 'axes', 3, context);
  }
  return [node];
};

const upgradeAxesInput = (threshold: number): Upgrade => (node, context) => {
  if (context.opset < threshold) intsAttrToInput(node, 'axes', 1, context);
  return [node];
};

const upgradeSplit: Upgrade = (node, context) => {
  if (context.opset < 13) intsAttrToInput(node, 'split', 1, context);
  if (context.opset < 18 && (node.inputs[1] ?? '') === '' && node.attrs.num_outputs === undefined) {
    node.attrs.num_outputs = node.outputs.length;
  }
  return [node];
};

const upgradePad: Upgrade = (node, context) => {
  if (context.opset >= 11) return [node];
  const value = node.attrs.value;
  intsAttrToInput(node, 'pads', 1, context);
  if (typeof value === 'number' && value !== 0) scalarAttrToInput(node, 'value', 2, inputDType(node, context), context);
  delete node.attrs.value;
  return [node];
};

const upgradeClip: Upgrade = (node, context) => {
  if (context.opset >= 11) return [node];
  const hasBound = node.attrs.min !== undefined || node.attrs.max !== undefined;
  const dtype = hasBound ? inputDType(node, context) : 'float32';
  scalarAttrToInput(node, 'min', 1, dtype, context);
  scalarAttrToInput(node, 'max', 2, dtype, context);
  return [node];
};

const upgradeDropout: Upgrade = (node, context) => {
  if (context.opset < 12) {
    dropAttrs(node, ['is_test']);
    scalarAttrToInput(node, 'ratio', 1, 'float32', context);
  }
  return [node];
};

const upgradeTopK: Upgrade = (node, context) => {
  if (context.opset < 10) intsAttrToInput(node, 'k', 1, context);
  return [node];
};

/** Keeps only the first output of a node when the others are unused (old training outputs). */
function trimUnusedOutputs(node: ImportNode, context: UpgradeContext, keep: number): void {
  const extra = node.outputs.slice(keep).filter((name) => name !== '' && context.isUsed(name));
  if (extra.length > 0) throw unsupported(node, context, `training-mode outputs ${extra.join(', ')} are not supported`);
  node.outputs = node.outputs.slice(0, keep);
}

const upgradeBatchNorm: Upgrade = (node, context) => {
  if (context.opset < 9 && node.attrs.spatial !== undefined && node.attrs.spatial !== 1) {
    throw unsupported(node, context, 'spatial=0 (per-activation statistics) is not supported');
  }
  dropAttrs(node, ['spatial', 'is_test', 'consumed_inputs']);
  if (context.opset < 14 && node.outputs.length > 1) trimUnusedOutputs(node, context, 1);
  return [node];
};

const upgradeResize: Upgrade = (node, context) => {
  if (context.opset < 11) {
    node.inputs = [node.inputs[0] ?? '', '', node.inputs[1] ?? ''];
    node.attrs.coordinate_transformation_mode = 'asymmetric';
    if (node.attrs.mode === 'nearest' || node.attrs.mode === undefined) node.attrs.nearest_mode = 'floor';
  }
  if (node.attrs.coordinate_transformation_mode === 'tf_half_pixel_for_nn') {
    throw unsupported(node, context, "coordinate_transformation_mode 'tf_half_pixel_for_nn' is not supported");
  }
  return [node];
};

/** Upsample (opsets 7-9) → Resize with asymmetric coordinates (floor for nearest). */
const upgradeUpsample: Upgrade = (node, context) => {
  const mode = node.attrs.mode === undefined ? 'nearest' : String(node.attrs.mode);
  const scales = node.attrs.scales;
  let scalesInput = node.inputs[1] ?? '';
  if (Array.isArray(scales)) {
    scalesInput = context.constant(`${node.name}_scales`, fromNumbers('float32', [scales.length], scales as number[]));
  }
  if (scalesInput === '') throw new AttributeError(`node '${node.name}' (Upsample): no scales given`, { op: 'Upsample', node: node.name });
  const attrs: ImportNode['attrs'] = { mode: mode === 'bilinear' ? 'linear' : mode, coordinate_transformation_mode: 'asymmetric' };
  if (attrs.mode === 'nearest') attrs.nearest_mode = 'floor';
  return [{ ...node, op: 'Resize', inputs: [node.inputs[0] ?? '', '', scalesInput], attrs }];
};

/** Softmax/LogSoftmax before opset 13 coerce the input to 2-D at `axis` (default 1). */
const upgradeSoftmax: Upgrade = (node, context) => {
  if (context.opset >= 13) return [node];
  const axis = typeof node.attrs.axis === 'number' ? node.attrs.axis : 1;
  const info = context.typeOf(node.inputs[0] ?? '');
  if (info) {
    const normalized = normalizeAxis(axis, info.shape.length, node.op);
    if (normalized === info.shape.length - 1) return [{ ...node, attrs: { axis: -1 } }];
  }
  const input = node.inputs[0] ?? '';
  const output = node.outputs[0] ?? '';
  const flat = context.fresh(`${node.name}_flat`);
  const flatOut = context.fresh(`${node.name}_flat_out`);
  const shape = context.fresh(`${node.name}_shape`);
  return [
    { name: context.fresh(`${node.name}_flatten`), op: 'Flatten', domain: '', inputs: [input], outputs: [flat], attrs: { axis } },
    { ...node, inputs: [flat], outputs: [flatOut], attrs: { axis: 1 } },
    { name: context.fresh(`${node.name}_shape`), op: 'Shape', domain: '', inputs: [input], outputs: [shape], attrs: {} },
    { name: context.fresh(`${node.name}_reshape`), op: 'Reshape', domain: '', inputs: [flatOut, shape], outputs: [output], attrs: {} },
  ];
};

/** GroupNormalization 18-20 takes scale/bias per group; 21 per channel (repeat each group's value). */
const upgradeGroupNorm: Upgrade = (node, context) => {
  if (context.opset >= 21) return [node];
  const groups = node.attrs.num_groups;
  const channels = context.typeOf(node.inputs[0] ?? '')?.shape[1];
  if (typeof groups !== 'number' || typeof channels !== 'number') {
    throw unsupported(node, context, 'cannot convert per-group scale/bias: the channel count or num_groups is unknown');
  }
  for (const position of [1, 2]) {
    const name = node.inputs[position] ?? '';
    const tensor = context.initializer(name);
    if (!tensor) throw unsupported(node, context, `per-group input '${name}' must be an initializer to convert to per-channel`);
    const values = toNumberArray(tensor);
    const perChannel = Array.from({ length: channels }, (_, channel) => values[Math.floor((channel * groups) / channels)] as number);
    setInput(node, position, context.constant(`${name}_per_channel`, fromNumbers(tensor.dtype, [channels], perChannel)));
  }
  return [node];
};

const noChange: Upgrade = (node) => [node];

const UPGRADES: Readonly<Record<string, Upgrade>> = {
  Slice: upgradeSlice,
  Squeeze: upgradeAxesInput(13),
  Unsqueeze: upgradeAxesInput(13),
  ReduceSum: upgradeAxesInput(13),
  ...Object.fromEntries(REDUCE_OPS.map((op) => [op, upgradeAxesInput(18)])),
  Split: upgradeSplit,
  Pad: upgradePad,
  Clip: upgradeClip,
  Dropout: upgradeDropout,
  TopK: upgradeTopK,
  BatchNormalization: upgradeBatchNorm,
  Resize: upgradeResize,
  Upsample: upgradeUpsample,
  Softmax: upgradeSoftmax,
  LogSoftmax: upgradeSoftmax,
  GroupNormalization: upgradeGroupNorm,
};

/** Upgrades one default-domain node to modern form; returns the replacement nodes. */
export function upgradeNode(node: ImportNode, context: UpgradeContext): ImportNode[] {
  if (node.domain !== '') return [node];
  return (UPGRADES[node.op] ?? noChange)(node, context);
}
