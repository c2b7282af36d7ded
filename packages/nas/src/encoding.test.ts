// Architecture encodings: fixed length, one-hot per active slot, zeros for inactive slots (so
// configs differing only in ignored slots encode equally), distinct subnets encode differently.
import { Generator } from '@efficientdl/tensor';
import { describe, expect, it } from 'vitest';
import { MIXED_CONFIG, TINY_SPACE } from './__fixtures__/tiny-space.js';
import { encodeSubnet, encodingLength } from './encoding.js';
import { cloneSubnet, subnetKey } from './search-space.js';
import { sampleSubnet } from './subnet-sampling.js';

describe('encodeSubnet', () => {
  it('writes one-hot kernel and expand per active slot, zeros past the depth, then resolution and width', () => {
    // TINY_SPACE: 4 slots × (3 kernels + 2 expands) + 2 resolutions + 2 widths = 24
    expect(encodingLength(TINY_SPACE)).toBe(24);
    const encoding = encodeSubnet(TINY_SPACE, MIXED_CONFIG);
    expect(encoding).toEqual([
      ...[0, 1, 0, 0, 1], // stage 0 slot 0: kernel 5, expand 2
      ...[1, 0, 0, 1, 0], // stage 0 slot 1: kernel 3, expand 1
      ...[0, 0, 1, 1, 0], // stage 1 slot 0: kernel 7, expand 1
      ...[0, 0, 0, 0, 0], // stage 1 slot 1: beyond depth 1
      ...[1, 0], // resolution 8
      ...[1, 0], // width 0.5
    ]);
  });

  it('ignores inactive slots and separates distinct subnets', () => {
    const changedInactive = cloneSubnet(MIXED_CONFIG);
    (changedInactive.kernels[1] as number[])[1] = 3;
    expect(encodeSubnet(TINY_SPACE, changedInactive)).toEqual(encodeSubnet(TINY_SPACE, MIXED_CONFIG));
    const rng = new Generator(5);
    const byKey = new Map<string, string>();
    for (let index = 0; index < 200; index++) {
      const config = sampleSubnet(TINY_SPACE, rng);
      const encoded = encodeSubnet(TINY_SPACE, config).join('');
      const key = subnetKey(config);
      const previous = byKey.get(encoded);
      if (previous !== undefined) expect(previous).toBe(key);
      byKey.set(encoded, key);
    }
    expect(byKey.size).toBeGreaterThan(50);
  });
});
