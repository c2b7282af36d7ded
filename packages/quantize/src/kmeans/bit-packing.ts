// Packing of small unsigned codes (1..16 bits each) into bytes, least significant bit first:
// code k occupies bits [k·bits, (k+1)·bits) of the little-endian bit stream. With bits = 4 this
// is ONNX's int4/uint4 layout (element 2i in the low nibble, 2i+1 in the high nibble).
import { ConfigError } from '@efficientdl/ir';

function checkBits(bits: number): void {
  if (!(Number.isInteger(bits) && bits >= 1 && bits <= 16)) {
    throw new ConfigError(`bit packing: bits must be an integer in [1, 16], got ${bits}`, { bits });
  }
}

/** Bytes needed for `count` codes of `bits` bits. */
export function packedByteLength(count: number, bits: number): number {
  return Math.ceil((count * bits) / 8);
}

/** Packs `codes` (each in [0, 2^bits)) into ceil(count·bits / 8) bytes. */
export function packBits(codes: ArrayLike<number>, bits: number): Uint8Array {
  checkBits(bits);
  const limit = 2 ** bits;
  const bytes = new Uint8Array(packedByteLength(codes.length, bits));
  let bitPosition = 0;
  for (let index = 0; index < codes.length; index++) {
    const code = codes[index] as number;
    if (!(Number.isInteger(code) && code >= 0 && code < limit)) {
      throw new ConfigError(`bit packing: code ${code} at ${index} does not fit in ${bits} bits`, { index, bits });
    }
    for (let bit = 0; bit < bits; bit++, bitPosition++) {
      if ((code >> bit) & 1) bytes[bitPosition >> 3] = (bytes[bitPosition >> 3] as number) | (1 << (bitPosition & 7));
    }
  }
  return bytes;
}

/** Inverse of packBits: the first `count` codes of `bits` bits. */
export function unpackBits(bytes: Uint8Array, bits: number, count: number): Uint16Array {
  checkBits(bits);
  if (bytes.length < packedByteLength(count, bits)) {
    throw new ConfigError(`bit packing: ${bytes.length} bytes cannot hold ${count} codes of ${bits} bits`);
  }
  const codes = new Uint16Array(count);
  let bitPosition = 0;
  for (let index = 0; index < count; index++) {
    let code = 0;
    for (let bit = 0; bit < bits; bit++, bitPosition++) {
      code |= (((bytes[bitPosition >> 3] as number) >> (bitPosition & 7)) & 1) << bit;
    }
    codes[index] = code;
  }
  return codes;
}
