// Subnet graphs: the exported ONNX model of an extracted subnet imports back and gives the
// module's outputs (including the in-graph resize and normalization); int8 costs are the cost
// model's float32 figures / 4 and count exactly the folded weights.
import { analyzeCost } from '@efficientdl/ir';
import { exportOnnx, importOnnx } from '@efficientdl/onnx';
import { noGrad, runGraph } from '@efficientdl/tensor';
import { expectClose } from '@efficientdl/test-utils';
import { describe, expect, it } from 'vitest';
import { MIXED_CONFIG, TINY_SPACE, randomPixels } from './__fixtures__/tiny-space.js';
import { MobileNetSubnet } from './mobilenet-subnet.js';
import { largestSubnet, smallestSubnet } from './search-space.js';
import { calibrateBatchNorm } from './subnet-accuracy.js';
import { SubnetCostModel, graphCost, subnetGraph } from './subnet-graph.js';
import { MobileNetSupernet } from './supernet.js';

describe('subnet export', () => {
  it('exports to ONNX, imports back and gives the same logits as the subnet module', () => {
    const supernet = new MobileNetSupernet({ space: TINY_SPACE, seed: 2 });
    supernet.setActive(MIXED_CONFIG);
    calibrateBatchNorm(supernet, [[randomPixels(8, 3)]]);
    const subnet = supernet.extractSubnet(MIXED_CONFIG).eval();
    const graph = subnetGraph(subnet, { space: TINY_SPACE });
    expect(graph.nodes.some((node) => node.op === 'BatchNormalization')).toBe(false); // folded
    expect(graph.nodes.some((node) => node.op === 'Resize')).toBe(true); // resolution 8 < 12
    const imported = importOnnx(exportOnnx(graph));
    expect(imported.inputs[0]?.name).toBe('pixels');
    expect(imported.inputs[0]?.shape).toEqual(['N', 1, 12, 12]);
    const pixels = randomPixels(5, 4);
    const expected = noGrad(() => subnet.call(pixels));
    const actual = noGrad(() => runGraph(imported, { pixels }))['logits'];
    expect(actual?.shape).toEqual([5, TINY_SPACE.classes]);
    expectClose(actual?.data as never, expected.data, { rtol: 1e-4, atol: 1e-5 });
  });
});

describe('subnet costs', () => {
  it('reports int8 figures as the cost model float32 bytes / 4, weights = folded parameter count', () => {
    const subnet = new MobileNetSubnet({ space: TINY_SPACE, config: MIXED_CONFIG });
    const graph = subnetGraph(subnet, { space: TINY_SPACE });
    const report = analyzeCost(graph, { dims: { N: 1 } });
    const cost = graphCost(graph);
    expect(cost.peakActivationBytes).toBe(report.peakActivationBytes / 4);
    // BN folding: each BN's (weight, bias) pair becomes one conv bias; + the 2 scalar normalization constants
    let batchNormChannels = 0;
    for (const [name, tensor] of subnet.namedParameters()) if (name.endsWith('bn.weight')) batchNormChannels += tensor.size;
    expect(cost.weightBytes).toBe(subnet.parameterCount() - batchNormChannels + 2);
  });

  it('orders the smallest below the largest subnet in every cost', () => {
    const model = new SubnetCostModel(TINY_SPACE);
    const small = model.figures(smallestSubnet(TINY_SPACE));
    const large = model.figures(largestSubnet(TINY_SPACE));
    expect(small.peakActivationBytes).toBeLessThan(large.peakActivationBytes);
    expect(small.weightBytes).toBeLessThan(large.weightBytes);
    expect(small.macs).toBeLessThan(large.macs);
    expect(model.size).toBe(2);
    model.figures(smallestSubnet(TINY_SPACE));
    expect(model.size).toBe(2); // cached
  });
});
