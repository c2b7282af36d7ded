// Dropout in training mode: kept elements are scaled by 1 / (1 - ratio), the mask agrees with the
// output, the kept fraction is near 1 - ratio, and the same seed reproduces the same mask.
import { fromNumbers } from '@efficientdl/ir';
import { describe, expect, it } from 'vitest';
import { IDENTITY_KERNELS } from './identity.js';

const dropout = IDENTITY_KERNELS.find((definition) => definition.op === 'Dropout')!.kernel;
const context = { op: 'Dropout', node: 'test_dropout', outputCount: 2 };

describe('Dropout training mode', () => {
  const data = fromNumbers('float32', [10000], new Float32Array(10000).fill(3));
  const inputs = [data, fromNumbers('float32', [], [0.25]), fromNumbers('bool', [], [1])];

  it('scales kept values, zeroes dropped ones and reports them in the mask', () => {
    const [output, mask] = dropout(inputs, { seed: 5 }, context);
    let kept = 0;
    for (let index = 0; index < 10000; index++) {
      const value = output!.data[index] as number;
      if (mask!.data[index]) {
        kept++;
        expect(value).toBe(4);
      } else {
        expect(value).toBe(0);
      }
    }
    expect(kept / 10000).toBeGreaterThan(0.72);
    expect(kept / 10000).toBeLessThan(0.78);
  });

  it('is reproducible for a seed and differs across seeds', () => {
    const [, first] = dropout(inputs, { seed: 5 }, context);
    const [, again] = dropout(inputs, { seed: 5 }, context);
    const [, other] = dropout(inputs, { seed: 6 }, context);
    expect(Array.from(again!.data as Uint8Array)).toEqual(Array.from(first!.data as Uint8Array));
    expect(Array.from(other!.data as Uint8Array)).not.toEqual(Array.from(first!.data as Uint8Array));
  });
});
