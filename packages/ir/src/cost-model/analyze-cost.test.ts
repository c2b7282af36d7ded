// Cost model tests against hand-counted params, bytes, MACs and peak activation memory.
import { describe, expect, it } from 'vitest';
import { createGraph } from '../graph.js';
import { fromNumbers, tensorData } from '../tensor-data.js';
import { analyzeCost } from './analyze-cost.js';
import { formatCostTable } from './format-cost-table.js';

/** x(N,3,8,8) -> Conv(4,3,3,3,pad 1) -> Relu -> MaxPool 2x2 -> Reshape(0,-1) -> Gemm(10). */
function smallConvNet() {
  return createGraph({
    name: 'small',
    inputs: [{ name: 'x', dtype: 'float32', shape: ['N', 3, 8, 8] }],
    outputs: [{ name: 'logits', dtype: 'float32', shape: ['N', 10] }],
    initializers: {
      'conv.weight': tensorData('float32', [4, 3, 3, 3]),
      'conv.bias': tensorData('float32', [4]),
      'fc.weight': tensorData('float32', [10, 64]),
      'fc.bias': tensorData('float32', [10]),
      shape: fromNumbers('int64', [2], [0, -1]),
    },
    nodes: [
      { name: 'conv', op: 'Conv', inputs: ['x', 'conv.weight', 'conv.bias'], outputs: ['y1'], attrs: { pads: [1, 1, 1, 1] } },
      { name: 'relu', op: 'Relu', inputs: ['y1'], outputs: ['y2'] },
      { name: 'pool', op: 'MaxPool', inputs: ['y2'], outputs: ['y3'], attrs: { kernel_shape: [2, 2], strides: [2, 2] } },
      { name: 'flatten', op: 'Reshape', inputs: ['y3', 'shape'], outputs: ['y4'] },
      { name: 'fc', op: 'Gemm', inputs: ['y4', 'fc.weight', 'fc.bias'], outputs: ['logits'], attrs: { transB: 1 } },
    ],
  });
}

describe('analyzeCost', () => {
  it('counts params, bytes, MACs and peak memory of a small conv net', () => {
    const report = analyzeCost(smallConvNet(), { dims: { N: 1 } });
    // weights 108 + 4 + 640 + 10; the int64 shape constant is not a parameter
    expect(report.params).toBe(762);
    expect(report.bytes).toBe(762 * 4 + 16);
    expect(report.bytesByDType).toEqual({ float32: 3048, int64: 16 });
    // conv: 1*4*8*8 outputs x 3*3*3 = 6912; fc: 10 outputs x 64 = 640
    expect(report.nodes.map((node) => node.macs)).toEqual([6912, 0, 0, 0, 640]);
    expect(report.macs).toBe(7552);
    expect(report.nodes.map((node) => node.params)).toEqual([112, 0, 0, 0, 650]);
    expect(report.nodes.map((node) => node.outputBytes)).toEqual([1024, 1024, 256, 256, 40]);
    // live per step: conv 768+1024, relu 1024+1024, pool 1024+256, reshape 256+256, fc 256+40
    expect(report.peakActivationBytes).toBe(2048);
    expect(report.peakActivationElements).toBe(512); // all float32: bytes / 4
    expect(report.ops).toEqual({ Conv: 1, Relu: 1, MaxPool: 1, Reshape: 1, Gemm: 1 });
    expect(report.unresolvedDims).toEqual([]);
  });

  it('scales with bound batch dims and reports unbound ones', () => {
    expect(analyzeCost(smallConvNet(), { dims: { N: 4 } }).macs).toBe(4 * 6912 + 4 * 640);
    const report = analyzeCost(smallConvNet());
    expect(report.unresolvedDims).toContain('N');
  });

  it('counts int4 storage at half a byte and MatMul as outputs x K', () => {
    const graph = createGraph({
      inputs: [{ name: 'x', dtype: 'float32', shape: [2, 4] }],
      outputs: [{ name: 'y', dtype: 'float32', shape: [2, 4] }],
      initializers: { 'w.q': tensorData('int4', [4, 4]), 'w.scale': fromNumbers('float32', [], [0.5]) },
      nodes: [
        { name: 'dq', op: 'DequantizeLinear', inputs: ['w.q', 'w.scale'], outputs: ['w'] },
        { name: 'mm', op: 'MatMul', inputs: ['x', 'w'], outputs: ['y'] },
      ],
    });
    const report = analyzeCost(graph);
    expect(report.params).toBe(17);
    expect(report.bytesByDType).toEqual({ int4: 8, float32: 4 });
    expect(report.macs).toBe(2 * 4 * 4);
    // dq step: x (32) + w (64); mm step: x + w + y (32)
    expect(report.peakActivationBytes).toBe(128);
    expect(report.peakActivationElements).toBe(8 + 16 + 8);
  });

  it('counts ConvTranspose MACs as inputs x (M/group) x kernel', () => {
    const graph = createGraph({
      inputs: [{ name: 'x', dtype: 'float32', shape: [1, 2, 3, 3] }],
      outputs: [{ name: 'y', dtype: 'float32', shape: [1, 4, 5, 5] }],
      initializers: { w: tensorData('float32', [2, 4, 3, 3]) },
      nodes: [{ op: 'ConvTranspose', inputs: ['x', 'w'], outputs: ['y'] }],
    });
    expect(analyzeCost(graph).macs).toBe(18 * 36);
  });
});

describe('formatCostTable', () => {
  it('prints aligned rows and totals', () => {
    const text = formatCostTable(analyzeCost(smallConvNet(), { dims: { N: 1 } }));
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^node\s+op\s+MACs\s+params\s+output bytes$/);
    const conv = lines.find((line) => line.startsWith('conv')) as string;
    expect(conv).toMatch(/Conv\s+6,912\s+112\s+1,024$/);
    // right-aligned numeric columns end at the same position as the header
    expect(conv.length).toBe((lines[0] as string).length);
    expect(text).toContain('MACs: 7,552');
    expect(text).toContain('peak activation memory: 2.00 KiB');
    expect(text).toContain('parameters: 762');
  });
});
