// Dependency groups on small hand-built graphs, and the oracle for physical removal: the pruned
// graph computes what the original computes with the removed channels' parameters zeroed.
import { readFileSync } from 'node:fs';
import { type Graph, type TensorData, fromNumbers, toNumberArray } from '@efficientdl/ir';
import { GraphModule } from '@efficientdl/nn';
import { importOnnx } from '@efficientdl/onnx';
import { expectClose, fixturePath } from '@efficientdl/test-utils';
import { describe, expect, it } from 'vitest';
import { GraphBuilder, randomInput, runModel, zeroChannels } from '../__fixtures__/graph-builder.js';
import { buildDependencyGraph } from './build-dependency-graph.js';
import type { ChannelGroup } from './channel-group.js';

const INPUT = [2, 3, 6, 6];

function memberShape(group: ChannelGroup, value: string, axis: number): number[] | undefined {
  const member = group.members.find((entry) => entry.value === value && entry.axis === axis);
  return member?.mapping.map((list) => list.length);
}

/** Prunes `indices` of group `groupIndex` and checks the result against the zeroing oracle. */
function checkOracle(graph: Graph, groupIndex: number, indices: number[], shape: readonly number[] = INPUT): GraphModule {
  const dependencies = buildDependencyGraph(graph, { exampleInputs: [{ shape }] });
  const group = dependencies.groups[groupIndex] as ChannelGroup;
  expect(group.prunable).toBe(true);
  const pruned = group.prune(indices);
  const input = randomInput(shape);
  const expected = runModel(zeroChannels(graph, [{ group, indices }]), input);
  expectClose(runModel(pruned, input), expected, { rtol: 1e-4, atol: 1e-5 });
  // removing the channels changed the output (the oracle is not vacuous)
  expect(Math.max(...runModel(graph, input).map((value, index) => Math.abs(value - (expected[index] as number))))).toBeGreaterThan(1e-4);
  return pruned;
}

function convBnReluConv(): Graph {
  const builder = new GraphBuilder(INPUT);
  const a = builder.conv('a', 'x', { inChannels: 3, outChannels: 6 });
  const relu = builder.op('Relu', [builder.batchNorm('bn', a, 6)]);
  return builder.build(builder.conv('b', relu, { inChannels: 6, outChannels: 4 }));
}

describe('buildDependencyGraph', () => {
  it('couples conv → bn → relu → conv and blocks the group that reaches the graph output', () => {
    const graph = convBnReluConv();
    const dependencies = buildDependencyGraph(graph);
    const [first, second] = dependencies.groups as [ChannelGroup, ChannelGroup];
    const coupled = first.members.filter((member) => member.kind === 'initializer').map((member) => `${member.value}@${member.axis}`);
    expect(coupled.sort()).toEqual(
      ['a.bias@0', 'a.weight@0', 'b.weight@1', 'bn.bias@0', 'bn.running_mean@0', 'bn.running_var@0', 'bn.weight@0'].sort(),
    );
    expect(first.prunable).toBe(true);
    expect(first.name).toBe('a');
    expect(second.prunable).toBe(false);
    expect(second.blockedReasons.join()).toContain('graph output');
    expect(first.toString()).toContain("initializer 'bn.running_var' axis 0 (6) statistic");
    const pruned = checkOracle(graph, 0, [1, 4]);
    expect(pruned.graph.initializers.get('a.weight')?.shape).toEqual([4, 3, 3, 3]);
    expect(pruned.graph.initializers.get('b.weight')?.shape).toEqual([4, 4, 3, 3]);
    expect(pruned.graph.initializers.get('bn.running_var')?.shape).toEqual([4]);
    expect([...pruned.graph.valueInfo.values()].find((value) => value.name.startsWith('Relu'))?.shape).toEqual(['N', 4, 6, 6]);
  });

  it('couples both branches of a residual Add', () => {
    const builder = new GraphBuilder(INPUT);
    const stem = builder.op('Relu', [builder.conv('stem', 'x', { inChannels: 3, outChannels: 5 })]);
    const branch = builder.conv('branch', builder.op('Relu', [builder.conv('inner', stem, { inChannels: 5, outChannels: 4 })]), { inChannels: 4, outChannels: 5 });
    const sum = builder.op('Relu', [builder.op('Add', [branch, stem])]);
    const graph = builder.build(builder.conv('head', sum, { inChannels: 5, outChannels: 2 }));
    const dependencies = buildDependencyGraph(graph);
    const residual = dependencies.groupOf('branch') as ChannelGroup;
    expect(residual).toBe(dependencies.groupOf('stem'));
    expect(residual.layers.map((layer) => layer.name)).toEqual(['stem', 'branch']);
    expect(memberShape(residual, 'inner.weight', 1)).toEqual([1, 1, 1, 1, 1]);
    expect(memberShape(residual, 'head.weight', 1)).toEqual([1, 1, 1, 1, 1]);
    const pruned = checkOracle(graph, residual.id, [0, 3]);
    expect(pruned.graph.initializers.get('branch.weight')?.shape).toEqual([3, 4, 3, 3]);
    expect(pruned.graph.initializers.get('stem.weight')?.shape).toEqual([3, 3, 3, 3]);
  });

  it('gives each Concat input its own window of the output channels', () => {
    const builder = new GraphBuilder(INPUT);
    const left = builder.conv('left', 'x', { inChannels: 3, outChannels: 4 });
    const right = builder.conv('right', 'x', { inChannels: 3, outChannels: 6 });
    const joined = builder.op('Relu', [builder.op('Concat', [left, right], { axis: 1 })]);
    const graph = builder.build(builder.conv('head', joined, { inChannels: 10, outChannels: 2 }));
    const dependencies = buildDependencyGraph(graph);
    const headInput = (group: ChannelGroup) => group.members.find((member) => member.value === 'head.weight')?.mapping.map((list) => list[0]);
    expect(headInput(dependencies.groupOf('left') as ChannelGroup)).toEqual([0, 1, 2, 3]);
    expect(headInput(dependencies.groupOf('right') as ChannelGroup)).toEqual([4, 5, 6, 7, 8, 9]);
    checkOracle(graph, 1, [0, 5]);
    const both = new Map([...(dependencies.groups[0] as ChannelGroup).removalsFor([2])]);
    for (const [value, byAxis] of (dependencies.groups[1] as ChannelGroup).removalsFor([1, 2])) {
      const target = both.get(value) ?? new Map();
      for (const [axis, set] of byAxis) target.set(axis, new Set([...(target.get(axis) ?? []), ...set]));
      both.set(value, target);
    }
    expect(dependencies.apply(both).graph.initializers.get('head.weight')?.shape).toEqual([2, 7, 3, 3]);
  });

  it('prunes a depthwise conv with its input, and in blocks of the channel multiplier', () => {
    for (const multiplier of [1, 2]) {
      const builder = new GraphBuilder(INPUT);
      const a = builder.conv('a', 'x', { inChannels: 3, outChannels: 6 });
      const depthwise = builder.op('Relu', [builder.conv('dw', a, { inChannels: 6, outChannels: 6 * multiplier, group: 6 })]);
      const graph = builder.build(builder.conv('head', depthwise, { inChannels: 6 * multiplier, outChannels: 2 }));
      const group = buildDependencyGraph(graph).groupOf('a') as ChannelGroup;
      expect(group.layers.map((layer) => layer.name)).toEqual(['a', 'dw']);
      expect(memberShape(group, 'head.weight', 1)).toEqual(Array(6).fill(multiplier));
      const pruned = checkOracle(graph, 0, [2, 3, 5]);
      const depthwiseNode = pruned.graph.nodes.find((node) => node.inputs[1] === 'dw.weight');
      expect(depthwiseNode?.attrs.group).toBe(3);
      expect(pruned.graph.initializers.get('dw.weight')?.shape).toEqual([3 * multiplier, 1, 3, 3]);
    }
  });

  it('expands a channel into its C·H·W block through Flatten and Reshape into a Gemm', () => {
    for (const op of ['Flatten', 'Reshape'] as const) {
      const builder = new GraphBuilder(INPUT);
      const a = builder.op('MaxPool', [builder.op('Relu', [builder.conv('a', 'x', { inChannels: 3, outChannels: 4 })])], { kernel_shape: [2, 2], strides: [2, 2] });
      const flat = op === 'Flatten' ? builder.op('Flatten', [a], { axis: 1 }) : builder.op('Reshape', [a, builder.constant('shape', fromNumbers('int64', [2], [-1, 36]))]);
      const graph = builder.build(builder.gemm('fc', flat, 36, 3));
      const group = buildDependencyGraph(graph, { exampleInputs: [{ shape: INPUT }] }).groupOf('a') as ChannelGroup;
      expect(memberShape(group, 'fc.weight', 1)).toEqual([9, 9, 9, 9]);
      expect(group.members.find((member) => member.value === 'fc.weight')?.mapping[1]).toEqual([9, 10, 11, 12, 13, 14, 15, 16, 17]);
      const pruned = checkOracle(graph, 0, [1]);
      expect(pruned.graph.initializers.get('fc.weight')?.shape).toEqual([3, 27]);
      if (op === 'Reshape') expect(Array.from(toNumberArray(pruned.graph.initializers.get('shape') as TensorData))).toEqual([-1, 27]);
    }
  });

  it('rewrites Split sizes and prunes grouped convolutions equally per group', () => {
    const builder = new GraphBuilder(INPUT);
    const a = builder.conv('a', 'x', { inChannels: 3, outChannels: 8 });
    const [first, second] = builder.node('Split', [a, builder.constant('sizes', fromNumbers('int64', [2], [3, 5]))], { axis: 1 }, 2) as [string, string];
    const joined = builder.op('Concat', [builder.op('Relu', [second as string]), builder.op('Sigmoid', [first as string])], { axis: 1 });
    const grouped = builder.op('Relu', [builder.conv('grouped', joined, { inChannels: 8, outChannels: 4, group: 2 })]);
    const graph = builder.build(builder.conv('head', grouped, { inChannels: 4, outChannels: 2 }));
    const dependencies = buildDependencyGraph(graph);
    expect((dependencies.groupOf('a') as ChannelGroup).blockedReasons.join()).toContain('grouped Conv');
    const groupedGroup = dependencies.groupOf('grouped') as ChannelGroup;
    expect(groupedGroup.partition).toEqual([[0, 1], [2, 3]]);
    expect(() => groupedGroup.prune([0, 1])).toThrow(/equally/);
    checkOracle(graph, groupedGroup.id, [1, 2]);
  });

  it('marks ops without a rule, and channel-axis Softmax, as blocking', () => {
    const builder = new GraphBuilder(INPUT);
    const a = builder.op('Softmax', [builder.conv('a', 'x', { inChannels: 3, outChannels: 4 })], { axis: 1 });
    const graph = builder.build(builder.conv('b', a, { inChannels: 4, outChannels: 2 }));
    const group = buildDependencyGraph(graph).groupOf('a') as ChannelGroup;
    expect(group.prunable).toBe(false);
    expect(group.blockedReasons.join()).toMatch(/Softmax .* does not carry axis 1/);
    expect(() => group.prune([0])).toThrow(/cannot be pruned/);
  });

  it('prunes the imported PyTorch classifier like its zeroing oracle', () => {
    const graph = importOnnx(new Uint8Array(readFileSync(fixturePath('pytorch-models', 'pytorch-fmnist-classifier.onnx'))));
    for (const [group, indices] of [[0, [0, 7, 9]], [1, [3, 10, 31]], [2, [1, 5, 9, 20]]] as const) {
      const pruned = checkOracle(graph, group, [...indices], [2, 1, 28, 28]);
      expect(pruned.graph.outputs).toEqual(graph.outputs);
    }
  });

  it('prunes GroupNormalization equally per group and couples LayerNormalization parameters', () => {
    const builder = new GraphBuilder(INPUT);
    const a = builder.conv('a', 'x', { inChannels: 3, outChannels: 8 });
    const normalized = builder.op('GroupNormalization', [a, builder.weight('gn.weight', [8]), builder.weight('gn.bias', [8])], { num_groups: 2 });
    const graph = builder.build(builder.conv('b', builder.op('Relu', [normalized]), { inChannels: 8, outChannels: 2 }));
    const group = buildDependencyGraph(graph).groupOf('a') as ChannelGroup;
    expect(group.partition).toEqual([[0, 1, 2, 3], [4, 5, 6, 7]]);
    expect(() => group.prune([0, 1])).toThrow(/equally from each of 2 groups/);
    expect(group.prune([1, 6]).graph.initializers.get('gn.weight')?.shape).toEqual([6]);

    const mlp = new GraphBuilder([2, 6]);
    const hidden = mlp.op('Add', [mlp.op('MatMul', ['x', mlp.weight('fc1.weight', [6, 8])]), mlp.weight('fc1.bias', [8])]);
    const layerNorm = mlp.op('LayerNormalization', [hidden, mlp.weight('ln.weight', [8]), mlp.weight('ln.bias', [8])], { axis: -1 });
    const mlpGraph = mlp.build(mlp.op('MatMul', [mlp.op('Relu', [layerNorm]), mlp.weight('fc2.weight', [8, 3])]));
    const mlpGroup = buildDependencyGraph(mlpGraph).groupOf('fc1.weight') as ChannelGroup;
    const roles = Object.fromEntries(mlpGroup.members.filter((member) => member.kind === 'initializer').map((member) => [`${member.value}@${member.axis}`, member.roles.join()]));
    expect(roles).toEqual({ 'fc1.weight@1': 'weight', 'fc1.bias@0': 'bias', 'ln.weight@0': 'norm-scale', 'ln.bias@0': 'norm-shift', 'fc2.weight@0': 'weight' });
    const pruned = mlpGroup.prune([0, 2, 4]);
    expect(runModel(pruned, randomInput([2, 6]))).toHaveLength(6);
    expect(pruned.graph.initializers.get('fc2.weight')?.shape).toEqual([5, 3]);
  });

  it('works on a GraphModule and rejects removing every channel', () => {
    const model = GraphModule.fromGraph(convBnReluConv());
    const group = buildDependencyGraph(model).groups[0] as ChannelGroup;
    expect(() => group.prune([0, 1, 2, 3, 4, 5])).toThrow(/every channel/);
    expect(() => group.prune([6])).toThrow(/\[0, 6\)/);
  });
});
