// The sparse weight formats (CSR and N:M round trips against hand-written packings, pattern
// checks, malformed inputs) and the SparseGemm / SparseConv schemas (shape inference, errors).
import { describe, expect, it } from 'vitest';
import { ShapeError } from '../errors.js';
import { fromNumbers } from '../tensor-data.js';
import { type Attributes, EFFICIENTDL_DOMAIN, type ValueInfo, inferOutputs, resolveAttributes } from '../op-schema.js';
import { getOpSchema } from '../registry.js';
import { info } from './schema-test-support.js';
import { csrToDense, denseToCsr, denseToNm, isNmSparse, nmToDense } from './sparse-weight-formats.js';

// (3, 5): rows [1 0 0 2 0], [0 0 0 0 0], [0 3 4 0 5]
const DENSE = fromNumbers('float32', [3, 5], [1, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 3, 4, 0, 5]);

describe('sparse weight formats', () => {
  it('packs CSR exactly and unpacks it back', () => {
    const csr = denseToCsr(DENSE);
    expect([...csr.values.data]).toEqual([1, 2, 3, 4, 5]);
    expect([...csr.indices.data]).toEqual([0, 3, 1, 2, 4]);
    expect([...csr.rowPointers.data]).toEqual([0, 2, 2, 5]);
    expect([...csrToDense(csr, [3, 5]).data]).toEqual([...DENSE.data]);
  });

  it('views higher-rank weights as (W[0], rest) — a conv weight (2, 1, 2, 2)', () => {
    const conv = fromNumbers('float32', [2, 1, 2, 2], [0, 7, 0, 0, 0, 0, 0, 8]);
    const csr = denseToCsr(conv);
    expect([...csr.indices.data]).toEqual([1, 3]);
    expect([...csr.rowPointers.data]).toEqual([0, 1, 2]);
  });

  it('packs 2:4 with partial last groups and padding slots, and unpacks it back', () => {
    // columns 0-3 | 4: row 0 keeps (1 at 0, 2 at 3) | none; row 2: (3 at 1, 4 at 2) | (5 at 0)
    expect(isNmSparse(DENSE, { n: 2, m: 4 })).toBe(true);
    const nm = denseToNm(DENSE, { n: 2, m: 4 });
    expect(nm.values.shape).toEqual([3, 4]);
    expect([...nm.values.data]).toEqual([1, 2, 0, 0, 0, 0, 0, 0, 3, 4, 5, 0]);
    expect([...nm.indices.data]).toEqual([0, 3, 0, 0, 0, 0, 0, 0, 1, 2, 0, 0]);
    expect([...nmToDense(nm, [3, 5]).data]).toEqual([...DENSE.data]);
  });

  it('refuses a weight that breaks the pattern and malformed packings', () => {
    expect(isNmSparse(DENSE, { n: 1, m: 4 })).toBe(false);
    expect(() => denseToNm(DENSE, { n: 1, m: 4 })).toThrow(/not 1:4 sparse: row 0/);
    expect(() => denseToNm(DENSE, { n: 4, m: 4 })).toThrow(ShapeError);
    const csr = denseToCsr(DENSE);
    expect(() => csrToDense({ ...csr, indices: fromNumbers('int32', [5], [0, 3, 1, 2, 5]) }, [3, 5])).toThrow(/column index 5/);
    expect(() => csrToDense({ ...csr, rowPointers: fromNumbers('int32', [4], [0, 3, 2, 5]) }, [3, 5])).toThrow(/decrease/);
    const nm = denseToNm(DENSE, { n: 2, m: 4 });
    expect(() => nmToDense({ ...nm, indices: fromNumbers('uint8', [3, 4], [0, 3, 1, 0, 0, 0, 0, 0, 1, 2, 2, 0]) }, [3, 5])).toThrow(/outside its group/);
  });
});

/** Runs the registered ai.efficientdl schema's inference for node 'node1'. */
function infer(op: string, inputs: readonly (ValueInfo | undefined)[], options: { attrs: Attributes }): ValueInfo[] {
  const schema = getOpSchema(op, EFFICIENTDL_DOMAIN);
  const attrs = resolveAttributes(schema, options.attrs, 'node1');
  return inferOutputs(schema, { op, node: 'node1', inputs, constants: inputs.map(() => undefined), attrs, outputCount: 1 });
}

describe('SparseGemm / SparseConv schemas', () => {
  const csrInputs = (nnz: number, rows: number) => [info('float32', [nnz]), info('int32', [nnz]), info('int32', [rows + 1])];

  it('infers Y (M, N) for SparseGemm in both formats, symbolic batch kept', () => {
    const attrs = { weight_shape: [10, 1568] };
    expect(infer('SparseGemm', [info('float32', ['N', 1568]), ...csrInputs(300, 10), info('float32', [10])], { attrs })).toEqual([
      { dtype: 'float32', shape: ['N', 10] },
    ]);
    const nm = [info('float32', [10, 784]), info('uint8', [10, 784]), undefined];
    expect(infer('SparseGemm', [info('float32', [4, 1568]), ...nm], { attrs: { ...attrs, format: 'nm' } })).toEqual([{ dtype: 'float32', shape: [4, 10] }]);
  });

  it('infers Conv output shapes for SparseConv (pads, strides, group)', () => {
    const attrs = { weight_shape: [32, 8, 3, 3], pads: [1, 1, 1, 1], strides: [2, 2], group: 2 };
    expect(infer('SparseConv', [info('float32', [2, 16, 14, 14]), ...csrInputs(50, 32)], { attrs })).toEqual([
      { dtype: 'float32', shape: [2, 32, 7, 7] },
    ]);
  });

  it('rejects inconsistent inputs naming the node', () => {
    const attrs = { weight_shape: [10, 20] };
    const a = info('float32', [4, 20]);
    expect(() => infer('SparseGemm', [info('float32', [4, 21]), ...csrInputs(5, 10)], { attrs })).toThrow(/node1.*21 features/);
    expect(() => infer('SparseGemm', [a, ...csrInputs(5, 9)], { attrs })).toThrow(/row_pointers must be \(11\)/);
    expect(() => infer('SparseGemm', [a, info('float32', [5]), info('int32', [5])], { attrs })).toThrow(/needs row_pointers/);
    expect(() => infer('SparseGemm', [a, info('float32', [10, 8]), info('uint8', [10, 8])], { attrs: { ...attrs, format: 'nm', n: 2, m: 4 } })).toThrow(/nm values must be \(10, 10\)/);
    expect(() => infer('SparseGemm', [a, ...csrInputs(5, 10)], { attrs: { ...attrs, format: 'coo' } })).toThrow(/format/);
    expect(() => infer('SparseGemm', [a, ...csrInputs(5, 10), info('float32', [11])], { attrs })).toThrow(/bias/);
  });
});
