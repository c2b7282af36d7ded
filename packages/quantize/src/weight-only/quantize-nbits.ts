// Round-to-nearest (RTN) weight-only quantization of a weight W (N, K) in blocks of `groupSize`
// along K, into MatMulNBits' packed layout: unsigned codes (uint4 / uint8 ranges, or 2 bits),
// asymmetric per block by default (scale = (max − min) / (2^bits − 1) over the block's range
// widened to include 0, zero point = round(−min / scale)), or symmetric (zero point 2^(bits−1),
// the absent-zero-point default of the op, scale = max|w| / (2^(bits−1) − 1)). The last block of
// a row is padded with the zero point's code (weight 0).
// reference: https://github.com/microsoft/onnxruntime/blob/main/docs/ContribOperators.md#com.microsoft.MatMulNBits
import { ConfigError } from '@efficientdl/ir';
import { packBits } from '../kmeans/bit-packing.js';
import { quantizeValue } from '../primitives/index.js';

export interface NBitsOptions {
  bits: 2 | 4 | 8;
  /** Weights per block along K; groupSize · bits must be a multiple of 8. */
  groupSize: number;
  /** Zero point fixed at 2^(bits−1) and not stored (default false: per-block zero points). */
  symmetric?: boolean;
}

export interface NBitsWeight {
  K: number;
  N: number;
  bits: number;
  blockSize: number;
  blocks: number;
  /** (N, blocks, blockSize · bits / 8) packed codes. */
  packed: Uint8Array;
  /** (N · blocks) */
  scales: Float32Array;
  /** (N · ceil(blocks · bits / 8)) packed; absent when symmetric. */
  zeroPoints?: Uint8Array;
}

export function checkNBitsOptions(options: NBitsOptions, what: string): void {
  if (![2, 4, 8].includes(options.bits)) throw new ConfigError(`${what}: bits must be 2, 4 or 8, got ${options.bits}`, { bits: options.bits });
  if (!(Number.isInteger(options.groupSize) && options.groupSize >= 1 && (options.groupSize * options.bits) % 8 === 0)) {
    throw new ConfigError(`${what}: groupSize ${options.groupSize} must be a positive integer with groupSize · bits a multiple of 8`, {
      groupSize: options.groupSize,
    });
  }
}

/** Scale and zero point of one block's values (see the file header). */
function blockParameters(values: Float32Array, bits: number, symmetric: boolean): { scale: number; zeroPoint: number } {
  const top = 2 ** bits - 1;
  let low = 0;
  let high = 0;
  for (const value of values) {
    if (value < low) low = value;
    if (value > high) high = value;
  }
  if (symmetric) {
    const middle = 2 ** (bits - 1);
    const bound = Math.max(-low, high);
    // narrow range: ±bound maps to middle ± (middle − 1), so both signs keep the same resolution
    return { scale: bound === 0 ? 1 : Math.fround(bound / (middle - 1)), zeroPoint: middle };
  }
  if (high === low) return { scale: 1, zeroPoint: 0 };
  const scale = Math.fround((high - low) / top);
  return { scale, zeroPoint: quantizeValue(-low / scale, 0, 0, top) };
}

/** Quantizes `weight` given as rows of K (row n = output n), see the file header. */
export function quantizeNBits(weight: Float32Array, shape: { N: number; K: number }, options: NBitsOptions): NBitsWeight {
  checkNBitsOptions(options, 'quantizeNBits');
  const { N, K } = shape;
  const { bits, groupSize } = options;
  const symmetric = options.symmetric ?? false;
  const blocks = Math.ceil(K / groupSize);
  const top = 2 ** bits - 1;
  const codes = new Uint8Array(N * blocks * groupSize);
  const scales = new Float32Array(N * blocks);
  const zeroPoints = new Uint8Array(N * Math.ceil((blocks * bits) / 8) * (8 / bits));
  const zeroStride = Math.ceil((blocks * bits) / 8) * (8 / bits);
  for (let n = 0; n < N; n++) {
    for (let block = 0; block < blocks; block++) {
      const start = n * K + block * groupSize;
      const values = weight.subarray(start, Math.min(start + groupSize, (n + 1) * K));
      const { scale, zeroPoint } = blockParameters(values, bits, symmetric);
      scales[n * blocks + block] = scale;
      zeroPoints[n * zeroStride + block] = zeroPoint;
      const base = (n * blocks + block) * groupSize;
      values.forEach((value, index) => {
        codes[base + index] = quantizeValue(Math.fround(value / scale), zeroPoint, 0, top);
      });
      // padding of a short last block: the zero point's code, i.e. weight 0
      for (let index = values.length; index < groupSize; index++) codes[base + index] = zeroPoint;
    }
  }
  const result: NBitsWeight = { K, N, bits, blockSize: groupSize, blocks, packed: packBits(codes, bits), scales };
  if (!symmetric) result.zeroPoints = packBits(zeroPoints, bits);
  return result;
}

/** Dequantized W (N, K) from the packed form (the inverse up to rounding). */
export function dequantizeNBits(weight: NBitsWeight): Float32Array {
  const { N, K, bits, blockSize, blocks } = weight;
  const zeroStride = Math.ceil((blocks * bits) / 8) * (8 / bits);
  const codeAt = (bytes: Uint8Array, index: number) => ((bytes[(index * bits) >> 3] as number) >> ((index * bits) & 7)) & (2 ** bits - 1);
  const out = new Float32Array(N * K);
  for (let n = 0; n < N; n++) {
    for (let k = 0; k < K; k++) {
      const block = Math.floor(k / blockSize);
      const zeroPoint = weight.zeroPoints ? codeAt(weight.zeroPoints, n * zeroStride + block) : 2 ** (bits - 1);
      const code = codeAt(weight.packed, (n * blocks + block) * blockSize + (k - block * blockSize));
      out[n * K + k] = (code - zeroPoint) * (weight.scales[n * blocks + block] as number);
    }
  }
  return out;
}
