// Schema tests for ai.efficientdl MatMulNBits: output shape (..., N), the packed B / scales /
// zero-point layouts, and errors naming op, node and shapes.
import { describe, expect, it } from 'vitest';
import { ShapeError } from '../errors.js';
import { EFFICIENTDL_DOMAIN, inferOutputs, resolveAttributes } from '../op-schema.js';
import { getOpSchema } from '../registry.js';
import type { ValueInfo } from '../op-schema.js';
import { info } from './schema-test-support.js';
import { nbitsLayout } from './weight-only.js';

function inferNBits(inputs: (ValueInfo | undefined)[], attrs: Record<string, number>, node = 'fc'): ValueInfo[] {
  const schema = getOpSchema('MatMulNBits', EFFICIENTDL_DOMAIN);
  return inferOutputs(schema, {
    op: 'MatMulNBits',
    node,
    inputs,
    constants: inputs.map(() => undefined),
    attrs: resolveAttributes(schema, attrs, node),
    outputCount: 1,
  });
}

describe('MatMulNBits', () => {
  // K = 40, block 16 → 3 blocks of 8 bytes (4 bits); zero points: ceil(3 · 4 / 8) = 2 bytes per row
  const attrs = { K: 40, N: 6, bits: 4, block_size: 16 };

  it('computes the block layout', () => {
    expect(nbitsLayout({ K: 40, N: 6, bits: 4, blockSize: 16 })).toEqual({ K: 40, N: 6, bits: 4, blockSize: 16, blocks: 3, blobSize: 8, zeroPointBytes: 2 });
    expect(nbitsLayout({ K: 40, N: 6, bits: 4, blockSize: 3 })).toMatch(/block_size 3/);
  });

  it('infers (..., N) from A (..., K)', () => {
    const outputs = inferNBits(
      [info('float32', ['B', 5, 40]), info('uint8', [6, 3, 8]), info('float32', [18]), info('uint8', [12]), undefined, info('float32', [6])],
      attrs,
    );
    expect(outputs).toEqual([{ dtype: 'float32', shape: ['B', 5, 6] }]);
    expect(inferNBits([info('float32', [2, 40]), info('uint8', [6, 3, 8]), info('float32', [6, 3])], attrs)[0]?.shape).toEqual([2, 6]);
  });

  it('rejects a B that does not match the layout, naming op, node and shapes', () => {
    const run = () => inferNBits([info('float32', [2, 40]), info('uint8', [6, 2, 8]), info('float32', [18])], attrs, 'proj');
    expect(run).toThrow(ShapeError);
    expect(run).toThrow(/MatMulNBits \(node 'proj'\): B must be \(6, 3, 8\), got \(6, 2, 8\)/);
  });

  it('rejects A whose last dim is not K and unsupported g_idx', () => {
    expect(() => inferNBits([info('float32', [2, 41]), info('uint8', [6, 3, 8]), info('float32', [18])], attrs)).toThrow(/must end in K = 40/);
    expect(() =>
      inferNBits([info('float32', [2, 40]), info('uint8', [6, 3, 8]), info('float32', [18]), undefined, info('int32', [40])], attrs),
    ).toThrow(/g_idx/);
  });
});
