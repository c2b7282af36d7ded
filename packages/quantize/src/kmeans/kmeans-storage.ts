// Compact storage of a KmeansLayer: the float32 codebook, the centroid indices of the KEPT weights
// packed at `bits` bits each (or Huffman-coded), and — for pruned layers — where the kept weights
// are, as a bitmap or as relative indices (Deep Compression's sparse format, optionally
// Huffman-coded too). unpackKmeansLayer inverts it exactly.
import { ConfigError } from '@efficientdl/ir';
import { packBits, unpackBits } from './bit-packing.js';
import { type HuffmanEncoded, huffmanDecode, huffmanEncode, huffmanStoredBytes } from './huffman.js';
import type { KmeansLayer } from './kmeans-layer.js';
import { decodeBitmap, decodeRelativeIndices, encodeBitmap, relativeIndexCodes } from './sparse-positions.js';

/** A stream of small codes: fixed-width packed, or Huffman-coded. */
export type PackedStream =
  | { encoding: 'fixed'; bits: number; count: number; bytes: Uint8Array }
  | { encoding: 'huffman'; alphabetSize: number; huffman: HuffmanEncoded };

export type PackedPositions = { encoding: 'bitmap'; bytes: Uint8Array } | { encoding: 'relative'; indexBits: number; codes: PackedStream };

export interface PackedKmeansLayer {
  name: string;
  shape: number[];
  bits: number;
  codebook: Float32Array;
  /** Centroid indices of the kept weights, in row-major order. */
  values: PackedStream;
  /** Positions of the kept weights; absent for dense layers. */
  positions?: PackedPositions;
}

export interface PackKmeansOptions {
  /** How pruned layers store positions (default 'relative'). Dense layers store none. */
  positions?: 'bitmap' | 'relative';
  /**
   * Bits per relative index, or 'auto' (default): per layer, the width in [2, 8] that stores the
   * positions in the fewest bytes (dense-ish layers want short gaps, very sparse ones long gaps;
   * Deep Compression fixed 8 bits for conv and 5 for FC layers).
   */
  indexBits?: number | 'auto';
  /** Huffman-code the value indices and relative indices (default false). */
  huffman?: boolean;
}

function packStream(codes: ArrayLike<number>, bits: number, huffman: boolean): PackedStream {
  if (huffman) return { encoding: 'huffman', alphabetSize: 2 ** bits, huffman: huffmanEncode(codes, 2 ** bits) };
  return { encoding: 'fixed', bits, count: codes.length, bytes: packBits(codes, bits) };
}

function unpackStream(stream: PackedStream): Uint16Array {
  return stream.encoding === 'huffman' ? huffmanDecode(stream.huffman) : unpackBits(stream.bytes, stream.bits, stream.count);
}

/** Bytes a stream occupies (Huffman: bit stream + one code-length byte per symbol). */
export function streamBytes(stream: PackedStream): number {
  return stream.encoding === 'huffman' ? huffmanStoredBytes(stream.huffman) : stream.bytes.length;
}

function relativePositions(keep: Uint8Array, indexBits: number | 'auto', huffman: boolean): PackedPositions {
  const widths = indexBits === 'auto' ? [2, 3, 4, 5, 6, 7, 8] : [indexBits];
  let best: PackedPositions | undefined;
  for (const bits of widths) {
    const candidate: PackedPositions = { encoding: 'relative', indexBits: bits, codes: packStream(relativeIndexCodes(keep, bits), bits, huffman) };
    if (!best || streamBytes(candidate.codes) < streamBytes((best as { codes: PackedStream }).codes)) best = candidate;
  }
  return best as PackedPositions;
}

/** Packs a layer (see the file header). */
export function packKmeansLayer(layer: KmeansLayer, options: PackKmeansOptions = {}): PackedKmeansLayer {
  const huffman = options.huffman ?? false;
  const keptIndices = layer.keep ? layer.indices.filter((_, index) => layer.keep?.[index] === 1) : layer.indices;
  const packed: PackedKmeansLayer = {
    name: layer.name,
    shape: [...layer.shape],
    bits: layer.bits,
    codebook: layer.codebook.slice(),
    values: packStream(keptIndices, layer.bits, huffman),
  };
  if (!layer.keep) return packed;
  if ((options.positions ?? 'relative') === 'bitmap') {
    packed.positions = { encoding: 'bitmap', bytes: encodeBitmap(layer.keep) };
  } else {
    packed.positions = relativePositions(layer.keep, options.indexBits ?? 'auto', huffman);
  }
  return packed;
}

/** The KmeansLayer a packed layer holds (indices of pruned weights come back as 0). */
export function unpackKmeansLayer(packed: PackedKmeansLayer): KmeansLayer {
  const count = packed.shape.reduce((product, dim) => product * dim, 1);
  const values = unpackStream(packed.values);
  const layer: KmeansLayer = { name: packed.name, shape: [...packed.shape], bits: packed.bits, codebook: packed.codebook.slice(), indices: new Uint8Array(count) };
  if (!packed.positions) {
    if (values.length !== count) throw new ConfigError(`k-means storage: '${packed.name}' holds ${values.length} indices for ${count} weights`);
    layer.indices.set(values);
    return layer;
  }
  const keep =
    packed.positions.encoding === 'bitmap'
      ? decodeBitmap(packed.positions.bytes, count)
      : decodeRelativeIndices(unpackStream(packed.positions.codes), packed.positions.indexBits, count);
  let next = 0;
  for (let index = 0; index < count; index++) if (keep[index] === 1) layer.indices[index] = values[next++] as number;
  if (next !== values.length) throw new ConfigError(`k-means storage: '${packed.name}' has ${values.length} values for ${next} kept weights`);
  layer.keep = keep;
  return layer;
}

/** Stored bytes of a packed layer: codebook (4 bytes per centroid) + values + positions. */
export function packedKmeansBytes(packed: PackedKmeansLayer): { codebook: number; values: number; positions: number; total: number } {
  const codebook = packed.codebook.length * 4;
  const values = streamBytes(packed.values);
  const positions = !packed.positions ? 0 : packed.positions.encoding === 'bitmap' ? packed.positions.bytes.length : streamBytes(packed.positions.codes);
  return { codebook, values, positions, total: codebook + values + positions };
}
