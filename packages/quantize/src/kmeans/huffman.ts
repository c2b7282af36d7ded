// Canonical Huffman coding of small-alphabet symbol streams (Deep Compression's third stage:
// the k-means indices and relative indices are far from uniform, so variable-length codes save
// bits). Code lengths come from the usual two-smallest merge; codes are canonical (sorted by
// length, then symbol), so a decoder needs only the code length of each symbol (the table).
// reference: https://arxiv.org/abs/1510.00149 §4; Huffman (1952)
import { ConfigError } from '@efficientdl/ir';

export interface HuffmanEncoded {
  /** Code length in bits per symbol of the alphabet (0 = symbol absent); the stored table. */
  lengths: Uint8Array;
  /** The bit stream, least significant bit first. */
  bytes: Uint8Array;
  /** Number of meaningful bits in `bytes`. */
  bitLength: number;
  /** Number of encoded symbols. */
  count: number;
}

/** Huffman code lengths for symbol frequencies (a single used symbol gets length 1). */
export function huffmanCodeLengths(frequencies: ArrayLike<number>): Uint8Array {
  const lengths = new Uint8Array(frequencies.length);
  // Each tree node: weight and the symbols below it; merging adds 1 to their depth.
  let nodes: { weight: number; symbols: number[] }[] = [];
  for (let symbol = 0; symbol < frequencies.length; symbol++) {
    const weight = frequencies[symbol] as number;
    if (weight > 0) nodes.push({ weight, symbols: [symbol] });
  }
  if (nodes.length === 1) lengths[(nodes[0] as { symbols: number[] }).symbols[0] as number] = 1;
  while (nodes.length > 1) {
    nodes.sort((a, b) => a.weight - b.weight || (a.symbols[0] as number) - (b.symbols[0] as number));
    const [first, second] = nodes as [{ weight: number; symbols: number[] }, { weight: number; symbols: number[] }];
    for (const symbol of [...first.symbols, ...second.symbols]) lengths[symbol] = (lengths[symbol] as number) + 1;
    nodes = [{ weight: first.weight + second.weight, symbols: [...first.symbols, ...second.symbols] }, ...nodes.slice(2)];
  }
  return lengths;
}

/** Canonical codes (as integers, most significant bit first within each code) for code lengths. */
export function canonicalCodes(lengths: Uint8Array): Uint32Array {
  const codes = new Uint32Array(lengths.length);
  const order = [...lengths.keys()].filter((symbol) => (lengths[symbol] as number) > 0);
  order.sort((a, b) => (lengths[a] as number) - (lengths[b] as number) || a - b);
  let code = 0;
  let previousLength = 0;
  for (const symbol of order) {
    const length = lengths[symbol] as number;
    code <<= length - previousLength;
    codes[symbol] = code;
    code++;
    previousLength = length;
  }
  return codes;
}

/** Encodes `symbols` (each < alphabetSize) with a Huffman code fitted to their own frequencies. */
export function huffmanEncode(symbols: ArrayLike<number>, alphabetSize: number): HuffmanEncoded {
  const frequencies = new Float64Array(alphabetSize);
  for (let index = 0; index < symbols.length; index++) {
    const symbol = symbols[index] as number;
    if (!(Number.isInteger(symbol) && symbol >= 0 && symbol < alphabetSize)) {
      throw new ConfigError(`huffman: symbol ${symbol} at ${index} is outside the alphabet [0, ${alphabetSize})`);
    }
    frequencies[symbol] = (frequencies[symbol] as number) + 1;
  }
  const lengths = huffmanCodeLengths(frequencies);
  const codes = canonicalCodes(lengths);
  let bitLength = 0;
  for (let index = 0; index < symbols.length; index++) bitLength += lengths[symbols[index] as number] as number;
  const bytes = new Uint8Array(Math.ceil(bitLength / 8));
  let position = 0;
  for (let index = 0; index < symbols.length; index++) {
    const symbol = symbols[index] as number;
    const length = lengths[symbol] as number;
    const code = codes[symbol] as number;
    for (let bit = length - 1; bit >= 0; bit--, position++) {
      if ((code >> bit) & 1) bytes[position >> 3] = (bytes[position >> 3] as number) | (1 << (position & 7));
    }
  }
  return { lengths, bytes, bitLength, count: symbols.length };
}

/** Decodes a stream produced by huffmanEncode. */
export function huffmanDecode(encoded: HuffmanEncoded): Uint16Array {
  const codes = canonicalCodes(encoded.lengths);
  // (length, code) → symbol
  const table = new Map<number, number>();
  encoded.lengths.forEach((length, symbol) => {
    if (length > 0) table.set(length * 2 ** 32 + (codes[symbol] as number), symbol);
  });
  const symbols = new Uint16Array(encoded.count);
  let position = 0;
  for (let index = 0; index < encoded.count; index++) {
    let code = 0;
    let length = 0;
    for (;;) {
      if (position >= encoded.bitLength || length > 32) throw new ConfigError(`huffman: stream ends inside symbol ${index}`);
      code = code * 2 + (((encoded.bytes[position >> 3] as number) >> (position & 7)) & 1);
      position++;
      length++;
      const symbol = table.get(length * 2 ** 32 + code);
      if (symbol !== undefined) {
        symbols[index] = symbol;
        break;
      }
    }
  }
  return symbols;
}

/** Stored size in bytes: the bit stream plus one byte of code length per alphabet symbol. */
export function huffmanStoredBytes(encoded: HuffmanEncoded): number {
  return encoded.bytes.length + encoded.lengths.length;
}
