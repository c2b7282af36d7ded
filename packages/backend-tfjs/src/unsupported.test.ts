// Undeclared ops, dtypes and values must raise UnsupportedOpError naming op, node and 'tfjs'.
import { UnsupportedOpError, fromNumbers, tensorData } from '@efficientdl/ir';
import { beforeAll, describe, expect, it } from 'vitest';
import { type TfjsBackend, createTfjsBackend } from './index.js';

let backend: TfjsBackend;

beforeAll(async () => {
  backend = await createTfjsBackend();
});

function catchError(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

describe('tfjs backend refusals', () => {
  it('throws UnsupportedOpError naming op, node and backend for an undeclared op', () => {
    const x = fromNumbers('float32', [2], [1, 2]);
    expect(backend.supports('QuantizeLinear', ['float32', 'float32'])).toBe(false);
    const error = catchError(() => backend.run({ op: 'QuantizeLinear', domain: '', name: 'quant_7', attrs: {} }, [x, fromNumbers('float32', [], [1])], 1));
    expect(error).toBeInstanceOf(UnsupportedOpError);
    expect((error as UnsupportedOpError).message).toMatch(/QuantizeLinear.*quant_7|quant_7.*QuantizeLinear/);
    expect((error as UnsupportedOpError).message).toContain("'tfjs'");
    expect((error as UnsupportedOpError).context).toEqual({ op: 'QuantizeLinear', node: 'quant_7', backend: 'tfjs' });
  });

  it('refuses ops of other domains and undeclared dtypes', () => {
    expect(backend.supports('ConvGradInput', ['float32', 'float32'], 'ai.efficientdl')).toBe(false);
    expect(backend.supports('Add', ['float64', 'float64'])).toBe(false);
    const x = fromNumbers('float64', [1], [1]);
    const error = catchError(() => backend.run({ op: 'Add', domain: '', name: 'add_f64', attrs: {} }, [x, x], 1));
    expect(error).toBeInstanceOf(UnsupportedOpError);
    expect((error as UnsupportedOpError).context).toEqual({ op: 'Add', node: 'add_f64', backend: 'tfjs' });
  });

  it('refuses int64 values outside the int32 range instead of wrapping them', () => {
    const big = tensorData('int64', [1], BigInt64Array.from([2n ** 40n]));
    const error = catchError(() => backend.run({ op: 'Identity', domain: '', name: 'id_big', attrs: {} }, [big], 1));
    expect(error).toBeInstanceOf(UnsupportedOpError);
    expect((error as UnsupportedOpError).message).toContain('does not fit the int32');
  });

  it('declares its op list truthfully: supports() is true exactly for declared ops', () => {
    const ops = backend.declaredOps();
    expect(ops).toContain('Conv');
    for (const op of ops) expect(backend.supports(op, [backend.declaredDTypes(op)[0] ?? 'float32'])).toBe(true);
    expect(backend.supports('NoSuchOp', ['float32'])).toBe(false);
  });
});
