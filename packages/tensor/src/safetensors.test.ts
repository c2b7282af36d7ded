// Tests for safetensors serialize/parse: hand-computed golden bytes, round trips of every dtype,
// every malformation class (each a ModelFormatError naming file, tensor and field), and a seeded
// mutation fuzz loop.
import { DTYPES, DTypeError, ModelFormatError, type TensorData, fromNumbers, tensorData } from '@efficientdl/ir';
import { describe, expect, it } from 'vitest';
import { parseSafetensors, serializeSafetensors } from './safetensors.js';

/** Builds a file from a raw header string (padded with spaces to `paddedLength`) and buffer bytes. */
function makeFile(header: string, buffer: ArrayLike<number> = [], paddedLength?: number): Uint8Array {
  const json = new TextEncoder().encode(header);
  const length = paddedLength ?? json.length;
  const out = new Uint8Array(8 + length + buffer.length).fill(0x20, 8, 8 + length);
  new DataView(out.buffer).setBigUint64(0, BigInt(length), true);
  out.set(json, 8);
  out.set(buffer, 8 + length);
  return out;
}

function expectFormatError(action: () => unknown, ...fragments: string[]): ModelFormatError {
  let caught: unknown;
  try {
    action();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(ModelFormatError);
  const error = caught as ModelFormatError;
  expect(error.code).toBe('E_MODEL_FORMAT');
  for (const fragment of fragments) expect(error.message).toContain(fragment);
  return error;
}

const parse = (bytes: Uint8Array) => parseSafetensors(bytes, { file: 'model.safetensors' });

describe('serializeSafetensors', () => {
  it('writes the hand-computed golden bytes (widest dtype first, then by name; space padding)', () => {
    const bytes = serializeSafetensors({
      a: fromNumbers('uint8', [3], [1, 2, 255]),
      z: fromNumbers('float32', [2], [1, -2]),
    });
    const header =
      '{"z":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"a":{"dtype":"U8","shape":[3],"data_offsets":[8,11]}}';
    // Header JSON is 107 bytes (counted by hand), padded to 112 = 0x70 with 5 spaces.
    expect(header.length).toBe(107);
    expect(bytes.length).toBe(8 + 112 + 11);
    expect([...bytes.subarray(0, 8)]).toEqual([0x70, 0, 0, 0, 0, 0, 0, 0]);
    expect(new TextDecoder().decode(bytes.subarray(8, 120))).toBe(`${header}     `);
    // 1.0f = 0x3F800000, -2.0f = 0xC0000000, little-endian.
    expect([...bytes.subarray(120)]).toEqual([0, 0, 0x80, 0x3f, 0, 0, 0, 0xc0, 1, 2, 255]);
  });

  it('puts metadata first and is deterministic regardless of insertion order', () => {
    const x = fromNumbers('int32', [1], [7]);
    const y = fromNumbers('int32', [1], [8]);
    const first = serializeSafetensors({ x, y }, { format: 'pt' });
    const second = serializeSafetensors({ y, x }, { format: 'pt' });
    expect(first).toEqual(second);
    const headerLength = Number(new DataView(first.buffer).getBigUint64(0, true));
    expect(headerLength % 8).toBe(0);
    expect(new TextDecoder().decode(first.subarray(8, 8 + headerLength)).startsWith('{"__metadata__":{"format":"pt"},"x":')).toBe(true);
  });

  it('rejects int4/uint4 with a DTypeError and a reserved name with a ModelFormatError', () => {
    expect(() => serializeSafetensors({ packed: fromNumbers('int4', [2], [1, -1]) })).toThrow(DTypeError);
    expect(() => serializeSafetensors({ packed: fromNumbers('uint4', [3], [1, 2, 3]) })).toThrow(/uint4.*'packed'/);
    expectFormatError(() => serializeSafetensors({ __metadata__: fromNumbers('float32', [1], [1]) }), '__metadata__');
  });

  it('rejects storage that does not match dtype and shape', () => {
    const wrong = { dtype: 'float32', shape: [3], data: new Float32Array(2) } as TensorData;
    expect(() => serializeSafetensors({ w: wrong })).toThrow(/'w'.*float32\(3\)|'w'/);
    const wrongType = { dtype: 'float32', shape: [2], data: new Float64Array(2) } as TensorData;
    expect(() => serializeSafetensors({ w: wrongType })).toThrow(/'w'/);
  });
});

describe('round trip', () => {
  it('round-trips every safetensors dtype, scalars and empty tensors, and metadata', () => {
    const tensors: Record<string, TensorData> = {};
    for (const dtype of DTYPES) {
      if (dtype === 'int4' || dtype === 'uint4') continue;
      tensors[`t_${dtype}`] = fromNumbers(dtype, [2, 3], [0, 1, -1, 2.5, 100, 3]);
    }
    const big = tensorData('int64', [2], new BigInt64Array([-(2n ** 62n) - 3n, 2n ** 62n + 5n]));
    const bigUnsigned = tensorData('uint64', [1], new BigUint64Array([2n ** 64n - 1n]));
    tensors.big = big;
    tensors.big_unsigned = bigUnsigned;
    tensors.scalar = fromNumbers('float64', [], [Math.PI]);
    tensors.empty = fromNumbers('float32', [0, 4], []);
    tensors['features.0.weight'] = fromNumbers('float16', [1], [0.5]);
    tensors.__proto__odd = fromNumbers('bool', [2], [1, 0]);
    const metadata = { format: 'pt', note: 'ünïcødé' };
    const parsed = parse(serializeSafetensors(tensors, metadata));
    expect(parsed.metadata).toEqual(metadata);
    expect(Object.keys(parsed.tensors).sort()).toEqual(Object.keys(tensors).sort());
    for (const [name, tensor] of Object.entries(tensors)) {
      const back = parsed.tensors[name] as TensorData;
      expect(back.dtype, name).toBe(tensor.dtype);
      expect(back.shape, name).toEqual(tensor.shape);
      expect(back.data, name).toEqual(tensor.data);
    }
  });

  it('keeps a tensor literally named __proto__ as data, not as a prototype', () => {
    const header = '{"__proto__":{"dtype":"U8","shape":[1],"data_offsets":[0,1]}}';
    const parsed = parse(makeFile(header, [9]));
    expect(Object.keys(parsed.tensors)).toEqual(['__proto__']);
    expect(Object.getPrototypeOf(parsed.tensors)).toBe(Object.prototype);
  });

  it('returns empty metadata and no tensors for an empty header object', () => {
    expect(parse(serializeSafetensors({}))).toEqual({ tensors: {}, metadata: {} });
  });

  it('reads a subarray view with a non-zero byteOffset', () => {
    const bytes = serializeSafetensors({ w: fromNumbers('float32', [2], [3, 4]) });
    const shifted = new Uint8Array(bytes.length + 3);
    shifted.set(bytes, 3);
    expect([...(parse(shifted.subarray(3)).tensors.w as TensorData).data]).toEqual([3, 4]);
  });
});

describe('parseSafetensors rejects malformed files', () => {
  const valid = serializeSafetensors({ w: fromNumbers('float32', [2], [1, 2]) });
  const entry = (dtype: string, shape: string, offsets: string) =>
    `{"w":{"dtype":${dtype},"shape":${shape},"data_offsets":${offsets}}}`;

  it('a file shorter than the 8-byte prefix', () => {
    expectFormatError(() => parse(valid.subarray(0, 5)), "'model.safetensors'", 'too short', 'offset 0');
  });

  it('a header length beyond the file, including absurd u64 values', () => {
    const bytes = valid.slice();
    new DataView(bytes.buffer).setBigUint64(0, 10_000n, true);
    expectFormatError(() => parse(bytes), 'header length 10000', 'offset 0');
    new DataView(bytes.buffer).setBigUint64(0, 2n ** 63n + 1n, true);
    expectFormatError(() => parse(bytes), 'header length 9223372036854775809');
  });

  it('a truncated buffer (the tensor no longer fits)', () => {
    expectFormatError(() => parse(valid.subarray(0, valid.length - 1)), "tensor 'w'", 'data_offsets [0, 8]');
  });

  it('a header that is not UTF-8, not JSON, or not an object', () => {
    const invalidUtf8 = makeFile('{}');
    invalidUtf8[9] = 0xff;
    expectFormatError(() => parse(invalidUtf8), 'not valid UTF-8');
    expectFormatError(() => parse(makeFile('{"w": ')), 'not valid JSON');
    expectFormatError(() => parse(makeFile('[1, 2]')), 'must be a JSON object', 'an array');
    expectFormatError(() => parse(makeFile('null')), 'must be a JSON object');
    expectFormatError(() => parse(makeFile('{"w": 3}')), "tensor 'w'", 'header entry must be an object');
  });

  it('an unknown dtype', () => {
    expectFormatError(() => parse(makeFile(entry('"F8_E4M3"', '[1]', '[0,1]'), [0])), "tensor 'w'", 'dtype "F8_E4M3"');
    expectFormatError(() => parse(makeFile(entry('7', '[1]', '[0,1]'), [0])), "tensor 'w'", 'dtype 7');
  });

  it('a shape that is not an array of non-negative integers', () => {
    for (const shape of ['[-1]', '[1.5]', '["2"]', '3', '[1e300]']) {
      expectFormatError(() => parse(makeFile(entry('"U8"', shape, '[0,1]'), [0])), "tensor 'w'", 'shape');
    }
  });

  it('a huge declared shape is rejected without allocating', () => {
    const huge = entry('"F32"', '[4503599627370496, 4503599627370496]', '[0,8]');
    expectFormatError(() => parse(makeFile(huge, new Uint8Array(8))), "tensor 'w'", 'needs more bytes than the 8-byte buffer');
  });

  it('data_offsets out of range, reversed, or malformed', () => {
    expectFormatError(() => parse(makeFile(entry('"U8"', '[2]', '[0,2]'), [1])), "tensor 'w'", 'data_offsets [0, 2]', 'outside');
    expectFormatError(() => parse(makeFile(entry('"U8"', '[0]', '[1,0]'), [1])), 'reversed');
    expectFormatError(() => parse(makeFile(entry('"U8"', '[1]', '[0]'), [1])), 'two non-negative integers');
    expectFormatError(() => parse(makeFile(entry('"U8"', '[1]', '[-1,0]'), [1])), 'two non-negative integers');
  });

  it('a byte length that disagrees with dtype × shape', () => {
    const error = expectFormatError(
      () => parse(makeFile(entry('"F32"', '[3]', '[0,8]'), new Uint8Array(16))),
      "tensor 'w'",
      'F32(3) needs 12 bytes',
      'span 8',
    );
    expect(error.context).toMatchObject({ file: 'model.safetensors', tensor: 'w', field: 'data_offsets' });
  });

  it('overlapping tensors, gaps and trailing bytes', () => {
    const two = (a: string, b: string) =>
      `{"a":{"dtype":"U8","shape":[2],"data_offsets":${a}},"b":{"dtype":"U8","shape":[2],"data_offsets":${b}}}`;
    expectFormatError(() => parse(makeFile(two('[0,2]', '[1,3]'), [1, 2, 3])), "tensor 'b'", 'overlaps');
    expectFormatError(() => parse(makeFile(two('[0,2]', '[3,5]'), [1, 2, 3, 4, 5])), "tensor 'b'", 'gap after buffer offset 2');
    expectFormatError(() => parse(makeFile(two('[0,2]', '[2,4]'), [1, 2, 3, 4, 5])), '1 trailing bytes');
    expectFormatError(() => parse(makeFile(two('[0,2]', '[0,2]'), [1, 2])), 'overlaps');
  });

  it('metadata that is not a string map, and BOOL bytes other than 0/1', () => {
    expectFormatError(() => parse(makeFile('{"__metadata__":{"epoch":3}}')), "__metadata__['epoch']", 'must be a string');
    expectFormatError(() => parse(makeFile('{"__metadata__":[1]}')), '__metadata__ must be an object');
    expectFormatError(() => parse(makeFile(entry('"BOOL"', '[2]', '[0,2]'), [1, 2])), "tensor 'w'", 'BOOL byte 2');
  });

  it('random bytes', () => {
    const random = mulberry32(7);
    for (let trial = 0; trial < 50; trial++) {
      const bytes = Uint8Array.from({ length: 1 + Math.floor(random() * 64) }, () => Math.floor(random() * 256));
      expect(() => parse(bytes)).toThrow(ModelFormatError);
    }
  });
});

/** Small seeded PRNG (mulberry32) for the fuzz loops. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let value = state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4294967296;
  };
}

function mutate(source: Uint8Array, random: () => number): Uint8Array {
  const pick = (limit: number) => Math.floor(random() * limit);
  const choice = pick(4);
  if (choice === 0) return source.slice(0, pick(source.length));
  const bytes = source.slice();
  const flips = 1 + pick(4);
  for (let flip = 0; flip < flips; flip++) {
    const index = choice === 1 ? pick(8) : pick(bytes.length);
    bytes[index] = choice === 3 ? (bytes[index] as number) ^ (1 << pick(8)) : pick(256);
  }
  return bytes;
}

describe('fuzz', () => {
  it('every mutation of a valid file parses or throws ModelFormatError', () => {
    const source = serializeSafetensors(
      {
        'layer.weight': fromNumbers('float32', [2, 2], [1, 2, 3, 4]),
        'layer.bias': fromNumbers('int64', [2], [5, -6]),
        mask: fromNumbers('bool', [3], [1, 0, 1]),
      },
      { format: 'pt' },
    );
    const random = mulberry32(1234);
    let parsed = 0;
    for (let trial = 0; trial < 400; trial++) {
      const bytes = mutate(source, random);
      try {
        parse(bytes);
        parsed++;
      } catch (error) {
        if (!(error instanceof ModelFormatError)) throw new Error(`trial ${trial}: ${String(error)}`);
      }
    }
    // Flipped data bytes still parse, so some mutants must succeed; structural damage must not.
    expect(parsed).toBeGreaterThan(0);
    expect(parsed).toBeLessThan(400);
  });
});
