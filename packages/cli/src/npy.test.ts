// .npy reader/writer: hand-built headers (format 1.0 and 2.0, little and big endian) parse to the
// right values; written files carry the documented header and read back unchanged.
import { ConfigError, ModelFormatError, type TensorData, tensorData } from '@efficientdl/ir';
import { describe, expect, it } from 'vitest';
import { parseNpy, serializeNpy } from './npy.js';

/** A .npy file assembled by hand from the format description. */
function handMade(options: { header: string; data: Uint8Array; major?: number }): Uint8Array {
  const major = options.major ?? 1;
  const prefix = major === 1 ? 10 : 12;
  const header = new TextEncoder().encode(options.header);
  const bytes = new Uint8Array(prefix + header.length + options.data.length);
  bytes.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, major, 0]);
  const view = new DataView(bytes.buffer);
  if (major === 1) view.setUint16(8, header.length, true);
  else view.setUint32(8, header.length, true);
  bytes.set(header, prefix);
  bytes.set(options.data, prefix + header.length);
  return bytes;
}

describe('parseNpy', () => {
  it('reads a format 1.0 little-endian float32 (2, 3) array', () => {
    const values = new Float32Array([1, -2, 3.5, 0, 5, 6]);
    const file = handMade({ header: "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }\n", data: new Uint8Array(values.buffer) });
    const tensor = parseNpy(file);
    expect(tensor.dtype).toBe('float32');
    expect(tensor.shape).toEqual([2, 3]);
    expect([...(tensor.data as Float32Array)]).toEqual([1, -2, 3.5, 0, 5, 6]);
  });

  it('reads format 2.0, big-endian int32 (byte-swapped), scalars and bool', () => {
    const bigEndian = new Uint8Array([0, 0, 0, 1, 0xff, 0xff, 0xff, 0xfe]); // 1, -2
    const ints = parseNpy(handMade({ header: "{'descr': '>i4', 'fortran_order': False, 'shape': (2,), }\n", data: bigEndian, major: 2 }));
    expect([...(ints.data as Int32Array)]).toEqual([1, -2]);
    const scalar = parseNpy(handMade({ header: "{'descr': '<i8', 'fortran_order': False, 'shape': (), }\n", data: new Uint8Array(new BigInt64Array([-7n]).buffer) }));
    expect(scalar.shape).toEqual([]);
    expect(scalar.data[0]).toBe(-7n);
    const flags = parseNpy(handMade({ header: "{'descr': '|b1', 'fortran_order': False, 'shape': (3,), }\n", data: new Uint8Array([1, 0, 1]) }));
    expect(flags.dtype).toBe('bool');
  });

  it('refuses Fortran order, unknown dtypes, bad magic and truncated data with ModelFormatError', () => {
    const data = new Uint8Array(16);
    expect(() => parseNpy(handMade({ header: "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 2), }\n", data }), 'f.npy')).toThrow(/Fortran-order/);
    expect(() => parseNpy(handMade({ header: "{'descr': '<c8', 'fortran_order': False, 'shape': (2,), }\n", data }))).toThrow(ModelFormatError);
    expect(() => parseNpy(new Uint8Array(20))).toThrow(/magic/);
    expect(() => parseNpy(handMade({ header: "{'descr': '<f4', 'fortran_order': False, 'shape': (8,), }\n", data: new Uint8Array(8) }))).toThrow(/needs 32 bytes/);
  });
});

describe('serializeNpy', () => {
  it('writes a 64-byte aligned format 1.0 header that numpy documents', () => {
    const bytes = serializeNpy(tensorData('float32', [2, 2], new Float32Array([1, 2, 3, 4])));
    const headerLength = new DataView(bytes.buffer).getUint16(8, true);
    expect((10 + headerLength) % 64).toBe(0);
    const header = new TextDecoder().decode(bytes.subarray(10, 10 + headerLength));
    expect(header.startsWith("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), }")).toBe(true);
    expect(header.endsWith('\n')).toBe(true);
    expect(bytes.length).toBe(10 + headerLength + 16);
  });

  it('round-trips every numpy-representable dtype', () => {
    const cases: TensorData[] = [
      tensorData('int64', [3], new BigInt64Array([1n, -2n, 3n])),
      tensorData('uint8', [1, 2], new Uint8Array([0, 255])),
      tensorData('float64', [2], new Float64Array([0.1, -1e300])),
      tensorData('float16', [1], new Uint16Array([0x3c00])),
      tensorData('bool', [2], new Uint8Array([1, 0])),
      tensorData('int8', [5], new Int8Array([-128, -1, 0, 1, 127])),
    ];
    for (const tensor of cases) {
      const back = parseNpy(serializeNpy(tensor));
      expect(back.dtype).toBe(tensor.dtype);
      expect(back.shape).toEqual(tensor.shape);
      expect([...back.data]).toEqual([...tensor.data]);
    }
  });

  it('refuses dtypes numpy cannot hold', () => {
    expect(() => serializeNpy(tensorData('bfloat16', [1]), 'h')).toThrow(ConfigError);
  });
});
