// im2col over 8-bit integer images for ConvInteger / QLinearConv: one image's channels become
// rows of cols: (C·kH·kW, ld), the image's oH·oW columns starting at colsOffset, so a batch of
// images sits side by side and the convolution is one int8 GEMM. Padding is filled with the
// input zero point, so (x − x_zero_point) is 0 there, as the ONNX definition requires.
// 1-D convolutions use height 1. Interior runs with stride 1 are contiguous copies.
// reference: https://onnx.ai/onnx/operators/onnx__QLinearConv.html

export type ByteArray = Int8Array | Uint8Array;

/** 2-D geometry of one convolution (1-D lifted to height 1). */
export interface ByteConvGeometry {
  readonly inHeight: number;
  readonly inWidth: number;
  readonly kernelHeight: number;
  readonly kernelWidth: number;
  readonly strideHeight: number;
  readonly strideWidth: number;
  readonly padTop: number;
  readonly padLeft: number;
  readonly dilationHeight: number;
  readonly dilationWidth: number;
  readonly outHeight: number;
  readonly outWidth: number;
}

export interface ByteColumnLayout {
  readonly geometry: ByteConvGeometry;
  /** Channels of this image (one group's). */
  readonly channels: number;
  /** x: (…, channels, H, W) starting at imageOffset. */
  readonly image: ByteArray;
  readonly imageOffset: number;
  readonly cols: ByteArray;
  readonly colsOffset: number;
  readonly ld: number;
  /** Value written for padded positions (the input zero point). */
  readonly padValue: number;
}

/** Output positions [first, end) whose input position out·stride + offset lies in [0, size). */
function validRange(outSize: number, stride: number, offset: number, size: number): [number, number] {
  const first = offset >= 0 ? 0 : Math.ceil(-offset / stride);
  const end = Math.min(outSize, Math.max(0, Math.ceil((size - offset) / stride)));
  return [Math.min(first, end), end];
}

/** Fills one cols row (channel, kh, kw) for one image; plain loops (runs are short). */
function fillRow(layout: ByteColumnLayout, channelBase: number, kh: number, kw: number, rowStart: number): void {
  const g = layout.geometry;
  const { image, cols, padValue } = layout;
  const { outWidth, strideWidth } = g;
  const columnOffset = kw * g.dilationWidth - g.padLeft;
  const [first, end] = validRange(outWidth, strideWidth, columnOffset, g.inWidth);
  for (let oh = 0; oh < g.outHeight; oh++) {
    const target = rowStart + oh * outWidth;
    const ih = oh * g.strideHeight - g.padTop + kh * g.dilationHeight;
    if (ih < 0 || ih >= g.inHeight) {
      for (let ow = 0; ow < outWidth; ow++) cols[target + ow] = padValue;
      continue;
    }
    const source = channelBase + ih * g.inWidth + columnOffset;
    for (let ow = 0; ow < first; ow++) cols[target + ow] = padValue;
    if (strideWidth === 1) for (let ow = first; ow < end; ow++) cols[target + ow] = image[source + ow] as number;
    else for (let ow = first; ow < end; ow++) cols[target + ow] = image[source + ow * strideWidth] as number;
    for (let ow = end; ow < outWidth; ow++) cols[target + ow] = padValue;
  }
}

/**
 * Same-size, stride-1 rows (the common 3×3 "same" convolution): the valid output rows read
 * consecutive input rows with the same stride, so the whole block is one copy; the columns that
 * fall in the padding are then overwritten with the pad value.
 */
function fillRowContiguous(layout: ByteColumnLayout, channelBase: number, kh: number, kw: number, rowStart: number): void {
  const g = layout.geometry;
  const { image, cols, padValue } = layout;
  const width = g.outWidth;
  const columnOffset = kw * g.dilationWidth - g.padLeft;
  const [first, end] = validRange(width, 1, columnOffset, g.inWidth);
  const [top, bottom] = validRange(g.outHeight, 1, kh * g.dilationHeight - g.padTop, g.inHeight);
  cols.fill(padValue, rowStart, rowStart + top * width);
  cols.fill(padValue, rowStart + bottom * width, rowStart + g.outHeight * width);
  if (bottom <= top || end <= first) {
    cols.fill(padValue, rowStart + top * width, rowStart + bottom * width);
    return;
  }
  const source = channelBase + (top - g.padTop + kh * g.dilationHeight) * g.inWidth + columnOffset;
  const target = rowStart + top * width;
  const length = (bottom - top - 1) * width + end - first;
  cols.set(image.subarray(source + first, source + first + length), target + first);
  for (let oh = top; oh < bottom; oh++) {
    const rowTarget = rowStart + oh * width;
    for (let ow = 0; ow < first; ow++) cols[rowTarget + ow] = padValue;
    for (let ow = end; ow < width; ow++) cols[rowTarget + ow] = padValue;
  }
}

function isContiguous(g: ByteConvGeometry): boolean {
  return g.strideWidth === 1 && g.strideHeight === 1 && g.outWidth === g.inWidth;
}

/** True for a 1×1, stride-1, unpadded convolution: cols rows are the image's channel planes. */
export function isPointwiseBytes(g: ByteConvGeometry): boolean {
  return g.kernelHeight === 1 && g.kernelWidth === 1 && g.strideHeight === 1 && g.strideWidth === 1 && g.padTop === 0 && g.padLeft === 0 && g.outHeight === g.inHeight && g.outWidth === g.inWidth;
}

function copyPlanes(layout: ByteColumnLayout, plane: number): void {
  const { image, cols } = layout;
  for (let channel = 0; channel < layout.channels; channel++) {
    const source = layout.imageOffset + channel * plane;
    const target = layout.colsOffset + channel * layout.ld;
    if (plane > 32) cols.set(image.subarray(source, source + plane), target);
    else for (let index = 0; index < plane; index++) cols[target + index] = image[source + index] as number;
  }
}

/** Writes one image's (channels·kH·kW, oH·oW) block of cols. */
export function im2colBytes(layout: ByteColumnLayout): void {
  const g = layout.geometry;
  const plane = g.inHeight * g.inWidth;
  if (isPointwiseBytes(g)) {
    copyPlanes(layout, plane);
    return;
  }
  const fill = isContiguous(g) ? fillRowContiguous : fillRow;
  let row = 0;
  for (let channel = 0; channel < layout.channels; channel++) {
    const channelBase = layout.imageOffset + channel * plane;
    for (let kh = 0; kh < g.kernelHeight; kh++) {
      for (let kw = 0; kw < g.kernelWidth; kw++, row++) fill(layout, channelBase, kh, kw, layout.colsOffset + row * layout.ld);
    }
  }
}
