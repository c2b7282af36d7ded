// Independent float64 oracles for the NN conformance cases, written differently from the CPU
// kernels: matmul by explicit batch coordinates, conv on an explicitly zero-padded copy of the
// input, transposed conv as a gather over outputs (instead of the kernels' scatter).
import { type DType, type StaticShape, type TensorData, fromNumbers, shapeSize, toNumberArray } from '@efficientdl/ir';

export function tensor(dtype: DType, shape: StaticShape, values: readonly number[]): TensorData {
  return fromNumbers(dtype, shape, values);
}

export const f32 = (shape: StaticShape, values: readonly number[]) => tensor('float32', shape, values);

/** numpy-style matmul of 2-D+ operands whose batch dims broadcast (ranks >= 2 only). */
export function matmulOracle(a: TensorData, b: TensorData): TensorData {
  const [m, k] = a.shape.slice(-2) as [number, number];
  const n = b.shape[b.shape.length - 1] as number;
  const aBatch = a.shape.slice(0, -2);
  const bBatch = b.shape.slice(0, -2);
  const rank = Math.max(aBatch.length, bBatch.length);
  const pad = (shape: StaticShape) => [...new Array<number>(rank - shape.length).fill(1), ...shape];
  const [pa, pb] = [pad(aBatch), pad(bBatch)];
  const batch = pa.map((dim, axis) => Math.max(dim, pb[axis] as number));
  const av = toNumberArray(a);
  const bv = toNumberArray(b);
  const out: number[] = [];
  for (let flat = 0; flat < shapeSize(batch); flat++) {
    const coordinates = batch.map((_, axis) => Math.floor(flat / shapeSize(batch.slice(axis + 1))) % (batch[axis] as number));
    const offsetOf = (shape: number[]) => coordinates.reduce((offset, coordinate, axis) => offset * (shape[axis] as number) + ((shape[axis] as number) === 1 ? 0 : coordinate), 0);
    const aBase = offsetOf(pa) * m * k;
    const bBase = offsetOf(pb) * k * n;
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++) {
        let sum = 0;
        for (let p = 0; p < k; p++) sum += (av[aBase + i * k + p] as number) * (bv[bBase + p * n + j] as number);
        out.push(sum);
      }
  }
  return fromNumbers(a.dtype, [...batch, m, n], out);
}

export interface Conv2dOracle {
  x: TensorData; // (N, C, H, W)
  w: TensorData; // (M, C/group, kH, kW)
  bias?: TensorData;
  strides?: [number, number];
  dilations?: [number, number];
  pads?: [number, number, number, number];
  group?: number;
}

/** 2-D conv: zero-pad X into a bigger array, then a valid correlation per group. */
export function conv2dOracle(spec: Conv2dOracle): TensorData {
  const [batch, channels, height, width] = spec.x.shape as [number, number, number, number];
  const [outChannels, groupChannels, kh, kw] = spec.w.shape as [number, number, number, number];
  const [sh, sw] = spec.strides ?? [1, 1];
  const [dh, dw] = spec.dilations ?? [1, 1];
  const [top, left, bottom, right] = spec.pads ?? [0, 0, 0, 0];
  const group = spec.group ?? 1;
  const paddedH = height + top + bottom;
  const paddedW = width + left + right;
  const xv = toNumberArray(spec.x);
  const padded = new Float64Array(batch * channels * paddedH * paddedW);
  for (let plane = 0; plane < batch * channels; plane++)
    for (let h = 0; h < height; h++)
      for (let w = 0; w < width; w++) padded[(plane * paddedH + h + top) * paddedW + w + left] = xv[(plane * height + h) * width + w] as number;
  const wv = toNumberArray(spec.w);
  const bv = spec.bias ? toNumberArray(spec.bias) : undefined;
  const outH = Math.floor((paddedH - (kh - 1) * dh - 1) / sh) + 1;
  const outW = Math.floor((paddedW - (kw - 1) * dw - 1) / sw) + 1;
  const out: number[] = [];
  for (let n = 0; n < batch; n++)
    for (let m = 0; m < outChannels; m++) {
      const g = Math.floor(m / (outChannels / group));
      for (let oh = 0; oh < outH; oh++)
        for (let ow = 0; ow < outW; ow++) {
          let sum = bv ? (bv[m] as number) : 0;
          for (let c = 0; c < groupChannels; c++)
            for (let i = 0; i < kh; i++)
              for (let j = 0; j < kw; j++) {
                const source = ((n * channels + g * groupChannels + c) * paddedH + oh * sh + i * dh) * paddedW + ow * sw + j * dw;
                sum += (padded[source] as number) * (wv[((m * groupChannels + c) * kh + i) * kw + j] as number);
              }
          out.push(sum);
        }
    }
  return fromNumbers(spec.x.dtype, [batch, outChannels, outH, outW], out);
}

/** 2-D ConvTranspose as a gather: y[o] = Σ_k x[(o + p − k·d) / s] · w[k] where divisible. */
export function convTranspose2dOracle(spec: Conv2dOracle & { outputPadding?: [number, number] }): TensorData {
  const [batch, channels, height, width] = spec.x.shape as [number, number, number, number];
  const [, outPerGroup, kh, kw] = spec.w.shape as [number, number, number, number];
  const [sh, sw] = spec.strides ?? [1, 1];
  const [dh, dw] = spec.dilations ?? [1, 1];
  const [top, left, bottom, right] = spec.pads ?? [0, 0, 0, 0];
  const [oph, opw] = spec.outputPadding ?? [0, 0];
  const group = spec.group ?? 1;
  const inPerGroup = channels / group;
  const outChannels = outPerGroup * group;
  const outH = sh * (height - 1) + oph + (kh - 1) * dh + 1 - top - bottom;
  const outW = sw * (width - 1) + opw + (kw - 1) * dw + 1 - left - right;
  const xv = toNumberArray(spec.x);
  const wv = toNumberArray(spec.w);
  const source = (o: number, k: number, stride: number, dilation: number, pad: number, size: number) => {
    const numerator = o + pad - k * dilation;
    return numerator % stride === 0 && numerator >= 0 && numerator / stride < size ? numerator / stride : -1;
  };
  const out: number[] = [];
  for (let n = 0; n < batch; n++)
    for (let m = 0; m < outChannels; m++) {
      const g = Math.floor(m / outPerGroup);
      for (let oh = 0; oh < outH; oh++)
        for (let ow = 0; ow < outW; ow++) {
          let sum = spec.bias ? (toNumberArray(spec.bias)[m] as number) : 0;
          for (let c = g * inPerGroup; c < (g + 1) * inPerGroup; c++)
            for (let i = 0; i < kh; i++)
              for (let j = 0; j < kw; j++) {
                const ih = source(oh, i, sh, dh, top, height);
                const iw = source(ow, j, sw, dw, left, width);
                if (ih < 0 || iw < 0) continue;
                sum += (xv[((n * channels + c) * height + ih) * width + iw] as number) * (wv[((c * outPerGroup + (m % outPerGroup)) * kh + i) * kw + j] as number);
              }
          out.push(sum);
        }
    }
  return fromNumbers(spec.x.dtype, [batch, outChannels, outH, outW], out);
}
