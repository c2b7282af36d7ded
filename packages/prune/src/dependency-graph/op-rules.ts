// The table of coupling rules by op (default ONNX domain), the ops that read a value without
// constraining its channels (Shape, Size), and which nodes are prunable layers (their output
// channels start a group): Conv, Gemm, and MatMul with a constant weight.
import type { Node } from '@efficientdl/ir';
import type { CouplingRule } from './coupling-types.js';
import { BROADCAST_OPS, UNARY_OPS, broadcastRule, unaryRule } from './elementwise-rules.js';
import { batchNormRule, convRule, gemmRule, groupNormRule, instanceNormRule, layerNormRule, matmulRule } from './layer-rules.js';
import {
  POOL_OPS,
  concatRule,
  poolRule,
  reduceRule,
  reshapeRule,
  sizePreservingRule,
  softmaxRule,
  splitRule,
  transposeRule,
} from './shape-rules.js';

const REDUCE_OPS = ['ReduceMean', 'ReduceSum', 'ReduceMax', 'ReduceMin', 'ReduceProd', 'ReduceL1', 'ReduceL2', 'ReduceLogSumExp', 'ReduceSumSquare'];

const RULES = new Map<string, CouplingRule>([
  ...UNARY_OPS.map((op): [string, CouplingRule] => [op, unaryRule]),
  ...BROADCAST_OPS.map((op): [string, CouplingRule] => [op, broadcastRule]),
  ...POOL_OPS.map((op): [string, CouplingRule] => [op, poolRule]),
  ...REDUCE_OPS.map((op): [string, CouplingRule] => [op, reduceRule]),
  ['Conv', convRule],
  ['Gemm', gemmRule],
  ['MatMul', matmulRule],
  ['BatchNormalization', batchNormRule],
  ['InstanceNormalization', instanceNormRule],
  ['GroupNormalization', groupNormRule],
  ['LayerNormalization', layerNormRule],
  ['Concat', concatRule],
  ['Split', splitRule],
  ['Reshape', reshapeRule],
  ['Flatten', reshapeRule],
  ['Squeeze', reshapeRule],
  ['Unsqueeze', reshapeRule],
  ['Transpose', transposeRule],
  ['Softmax', softmaxRule],
  ['LogSoftmax', softmaxRule],
  ['Hardmax', softmaxRule],
  ['Pad', sizePreservingRule],
  ['Resize', sizePreservingRule],
]);

/** Ops that read only the shape of a value: they neither couple nor block its channels. */
const TRANSPARENT_OPS = new Set(['Shape', 'Size']);

export function ruleFor(node: Node): CouplingRule | undefined {
  return node.domain === '' ? RULES.get(node.op) : undefined;
}

export function isTransparent(node: Node): boolean {
  return node.domain === '' && TRANSPARENT_OPS.has(node.op);
}

/** Output channel axis of a prunable layer node, or undefined when the node is not one. */
export function layerOutputAxis(node: Node, outputRank: number, isConstant: (name: string) => boolean): number | undefined {
  if (node.domain !== '') return undefined;
  if (node.op === 'Conv' || node.op === 'Gemm') return 1;
  if (node.op === 'MatMul' && isConstant(node.inputs[1] ?? '') && outputRank >= 2) return outputRank - 1;
  return undefined;
}
