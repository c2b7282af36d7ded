// Where the non-zero weights of a pruned tensor are (flattened row-major), stored compactly:
// - bitmap: one bit per weight;
// - relative indices (Deep Compression §2, Fig. 2): per kept weight, the number of zeros
//   skipped since the previous kept weight, in `indexBits` bits. A gap that does not fit is
//   split with FILLER entries: the largest code (2^indexBits − 1) means "skip that many zeros,
//   no weight here", so fillers cost an index but, unlike the paper's padding zeros, no value.
// reference: https://arxiv.org/abs/1510.00149
import { ConfigError } from '@efficientdl/ir';
import { packBits, unpackBits } from './bit-packing.js';

function checkIndexBits(indexBits: number): void {
  if (!(Number.isInteger(indexBits) && indexBits >= 2 && indexBits <= 16)) {
    throw new ConfigError(`relative indices: indexBits must be an integer in [2, 16], got ${indexBits}`, { indexBits });
  }
}

/** Relative-index codes (gaps and fillers) of `keep` (1 = kept weight). */
export function relativeIndexCodes(keep: Uint8Array, indexBits: number): Uint16Array {
  checkIndexBits(indexBits);
  const filler = 2 ** indexBits - 1;
  const codes: number[] = [];
  let gap = 0;
  for (let index = 0; index < keep.length; index++) {
    if (keep[index] === 0) {
      gap++;
      continue;
    }
    while (gap >= filler) {
      codes.push(filler);
      gap -= filler;
    }
    codes.push(gap);
    gap = 0;
  }
  return Uint16Array.from(codes);
}

/** The keep mask of `length` weights back from relative-index codes (trailing zeros implied). */
export function decodeRelativeIndices(codes: ArrayLike<number>, indexBits: number, length: number): Uint8Array {
  checkIndexBits(indexBits);
  const filler = 2 ** indexBits - 1;
  const keep = new Uint8Array(length);
  let position = 0;
  for (let entry = 0; entry < codes.length; entry++) {
    const code = codes[entry] as number;
    position += code;
    if (code === filler) continue;
    if (position >= length) throw new ConfigError(`relative indices: entry ${entry} points past the ${length} weights`);
    keep[position] = 1;
    position++;
  }
  return keep;
}

/** Relative indices packed at `indexBits` bits each, and how many entries there are. */
export function encodeRelativeIndices(keep: Uint8Array, indexBits: number): { bytes: Uint8Array; entries: number } {
  const codes = relativeIndexCodes(keep, indexBits);
  return { bytes: packBits(codes, indexBits), entries: codes.length };
}

/** Inverse of encodeRelativeIndices. */
export function unpackRelativeIndices(bytes: Uint8Array, options: { indexBits: number; entries: number; length: number }): Uint8Array {
  return decodeRelativeIndices(unpackBits(bytes, options.indexBits, options.entries), options.indexBits, options.length);
}

/** One bit per weight. */
export function encodeBitmap(keep: Uint8Array): Uint8Array {
  return packBits(keep, 1);
}

export function decodeBitmap(bytes: Uint8Array, length: number): Uint8Array {
  return Uint8Array.from(unpackBits(bytes, 1, length));
}
