// K-means building blocks against hand-computed values and independent formulas: Lloyd on
// well-separated data, bit packing (ONNX int4 nibble order), relative indices with fillers,
// Huffman code lengths of a textbook example, and lossless round trips.
import { describe, expect, it } from 'vitest';
import { packBits, unpackBits } from './bit-packing.js';
import { clusterValues, linearCentroids, nearestCentroid } from './cluster-values.js';
import { canonicalCodes, huffmanCodeLengths, huffmanDecode, huffmanEncode } from './huffman.js';
import { decodeBitmap, decodeRelativeIndices, encodeBitmap, relativeIndexCodes } from './sparse-positions.js';

function seededValues(count: number, seed: number): number[] {
  let state = seed;
  return Array.from({ length: count }, () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  });
}

describe('clusterValues', () => {
  it('starts from linearly spaced centroids', () => {
    expect(Array.from(linearCentroids(-1, 2, 4))).toEqual([-1, 0, 1, 2]);
  });

  it('finds well-separated clusters and ends at a Lloyd fixed point', () => {
    const values = [-2.1, -1.9, -2.0, 0.1, -0.1, 0.0, 3.05, 2.95, 3.0, 3.0];
    const { codebook, indices } = clusterValues(values, { clusters: 3 });
    expect(Array.from(codebook)).toEqual([expect.closeTo(-2, 6), expect.closeTo(0, 6), expect.closeTo(3, 6)]);
    expect(Array.from(indices)).toEqual([0, 0, 0, 1, 1, 1, 2, 2, 2, 2]);
  });

  it('assigns every value to its nearest centroid and each centroid is the mean of its members', () => {
    const values = seededValues(500, 7).map((value) => (value - 0.5) ** 3);
    const { codebook, indices } = clusterValues(values, { clusters: 16, iterations: 200 });
    values.forEach((value, index) => {
      const distances = Array.from(codebook, (centroid) => Math.abs(centroid - value));
      expect(Math.abs((codebook[indices[index] as number] as number) - value)).toBeCloseTo(Math.min(...distances), 6);
    });
    for (let cluster = 0; cluster < 16; cluster++) {
      const members = values.filter((_, index) => indices[index] === cluster);
      if (members.length > 0) expect(codebook[cluster]).toBeCloseTo(members.reduce((a, b) => a + b, 0) / members.length, 5);
    }
  });

  it('ignores values outside the keep mask', () => {
    const values = [0, 0, 1, 1.2, 5, 5.2];
    const keep = Uint8Array.from([0, 0, 1, 1, 1, 1]);
    const { codebook } = clusterValues(values, { clusters: 2, keep });
    expect(Array.from(codebook)).toEqual([expect.closeTo(1.1, 6), expect.closeTo(5.1, 6)]);
  });

  it('nearestCentroid breaks ties towards the lower centroid', () => {
    expect(nearestCentroid([0, 1, 2], 0.5)).toBe(0);
    expect(nearestCentroid([0, 1, 2], 0.51)).toBe(1);
    expect(nearestCentroid([0, 1, 2], -5)).toBe(0);
    expect(nearestCentroid([0, 1, 2], 9)).toBe(2);
  });
});

describe('bit packing', () => {
  it('packs 4-bit codes low nibble first (ONNX int4 order)', () => {
    expect(Array.from(packBits([1, 2, 15, 0, 7], 4))).toEqual([0x21, 0x0f, 0x07]);
  });

  it('packs 3-bit codes across byte boundaries', () => {
    // bits (LSB first): 101 011 111 → byte0 = 0b11_011_101 = 0xdd, byte1 = 0b1
    expect(Array.from(packBits([5, 3, 7], 3))).toEqual([0xdd, 0x01]);
  });

  it('round-trips every width from 1 to 8 bits', () => {
    for (let bits = 1; bits <= 8; bits++) {
      const codes = seededValues(101, bits).map((value) => Math.floor(value * 2 ** bits));
      expect(Array.from(unpackBits(packBits(codes, bits), bits, codes.length))).toEqual(codes);
    }
  });

  it('rejects codes that do not fit', () => {
    expect(() => packBits([16], 4)).toThrow(/does not fit in 4 bits/);
  });
});

describe('sparse positions', () => {
  it('writes gaps and fillers (Deep Compression relative indices)', () => {
    // kept at 0, 7, 8 with 2-bit indices (filler = 3): gap 0 | gap 6 = 3 + 3 + 0 | gap 0
    const keep = Uint8Array.from([1, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0]);
    const codes = relativeIndexCodes(keep, 2);
    expect(Array.from(codes)).toEqual([0, 3, 3, 0, 0]);
    expect(Array.from(decodeRelativeIndices(codes, 2, keep.length))).toEqual(Array.from(keep));
  });

  it('round-trips random masks through relative indices and bitmaps', () => {
    const keep = Uint8Array.from(seededValues(1000, 3), (value) => (value < 0.2 ? 1 : 0));
    for (const indexBits of [2, 3, 4, 8]) {
      expect(Array.from(decodeRelativeIndices(relativeIndexCodes(keep, indexBits), indexBits, keep.length))).toEqual(Array.from(keep));
    }
    expect(Array.from(decodeBitmap(encodeBitmap(keep), keep.length))).toEqual(Array.from(keep));
  });
});

describe('huffman', () => {
  it('gives the textbook code lengths', () => {
    // frequencies 5, 9, 12, 13, 16, 45 (CLRS 16.3): lengths 4, 4, 3, 3, 3, 1
    expect(Array.from(huffmanCodeLengths([5, 9, 12, 13, 16, 45]))).toEqual([4, 4, 3, 3, 3, 1]);
  });

  it('builds a prefix-free canonical code', () => {
    const lengths = Uint8Array.from([2, 1, 3, 3]);
    expect(Array.from(canonicalCodes(lengths))).toEqual([0b10, 0b0, 0b110, 0b111]);
  });

  it('round-trips a skewed stream in fewer bits than fixed width', () => {
    const symbols = seededValues(2000, 11).map((value) => Math.min(15, Math.floor(-Math.log2(1 - value) * 2)));
    const encoded = huffmanEncode(symbols, 16);
    expect(Array.from(huffmanDecode(encoded))).toEqual(symbols);
    expect(encoded.bitLength).toBeLessThan(4 * symbols.length);
  });

  it('handles a stream with a single symbol', () => {
    const encoded = huffmanEncode([3, 3, 3], 4);
    expect(encoded.bitLength).toBe(3);
    expect(Array.from(huffmanDecode(encoded))).toEqual([3, 3, 3]);
  });
});
