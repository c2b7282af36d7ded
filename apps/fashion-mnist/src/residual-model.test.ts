// The residual variant: output shape, parameter count by hand, and channel pruning keeping both
// sides of each residual Add the same width (the pruned traced graph still runs).
import { prune } from '@efficientdl/prune';
import { type Tensor, noGrad, randn, zeros } from '@efficientdl/tensor';
import { describe, expect, it } from 'vitest';
import { FashionResidualCnn } from './residual-model.js';

describe('FashionResidualCnn', () => {
  it('maps (N, 1, 28, 28) pixels to (N, 10) logits with the hand-counted parameters', () => {
    const model = new FashionResidualCnn().eval();
    const logits = noGrad(() => model.forward(randn([2, 1, 28, 28])));
    expect(logits.shape).toEqual([2, 10]);
    const convBn = (input: number, output: number, kernel: number) => output * input * kernel * kernel + output + 2 * output;
    const expected = convBn(1, 16, 3) + 2 * convBn(16, 16, 3) + convBn(16, 32, 3) + convBn(32, 32, 3) + convBn(16, 32, 1) + 32 * 10 + 10;
    expect(model.parameterCount()).toBe(expected);
  });

  it('prunes coupled residual channels together', () => {
    const { model, report } = prune(new FashionResidualCnn(), { ratio: 0.5, exampleInputs: [zeros([1, 1, 28, 28])] });
    const after = Object.fromEntries(report.layers.map((layer) => [layer.name, [layer.group, layer.channelsAfter]]));
    expect(after['stem.0.0']).toEqual([0, 8]);
    expect(after['blocks.0.body.2.0']).toEqual([0, 8]); // coupled to the stem through the first Add
    expect(after['blocks.2.shortcut.0']?.[0]).toBe(after['blocks.2.body.2.0']?.[0]);
    expect(report.macs.after / report.macs.before).toBeLessThan(0.3);
    const logits = noGrad(() => model.forward(randn([3, 1, 28, 28])) as Tensor);
    expect(logits.shape).toEqual([3, 10]);
  });
});
