// im2col / col2im for 2-D convolution over float32: one image's channels become columns of a
// matrix cols: (C·kH·kW, ld) — the image's oH·oW columns start at colsOffset inside each row, so
// several images can sit side by side (ld = images·oH·oW) and convolution is one GEMM with
// W: (M, C·kH·kW). col2im is its adjoint (scatter-add), used for the input gradient.
// Rows are copied as runs: the padded borders are zero-filled and the interior is a tight loop
// without bounds checks (stride 1: a contiguous slice of the input row).

/** 2-D convolution geometry of one call (1-D convolutions use height 1). */
export interface Conv2dGeometry {
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

/** Where one image's columns live: `image` is (channels, H, W) at imageOffset; cols rows have stride ld. */
export interface ColumnLayout {
  readonly geometry: Conv2dGeometry;
  readonly channels: number;
  /** x for im2col, dx for col2im: (…, channels, H, W). */
  readonly image: Float32Array;
  readonly imageOffset: number;
  /** cols: (channels·kH·kW, ld); this image's oH·oW columns start at colsOffset. */
  readonly cols: Float32Array;
  readonly colsOffset: number;
  readonly ld: number;
}

/** Copies longer than this use TypedArray.set (its fixed cost beats a loop only for long runs). */
const SET_MIN_LENGTH = 40;

/** Output columns [first, end) whose input column out·stride + offset lies inside [0, size). */
function validRange(outSize: number, stride: number, offset: number, size: number): [number, number] {
  const first = offset >= 0 ? 0 : Math.ceil(-offset / stride);
  const end = Math.min(outSize, Math.max(0, Math.ceil((size - offset) / stride)));
  return [Math.min(first, end), end];
}

/** True when cols would equal the image itself (1×1 kernel, stride 1, no padding). */
export function isPointwise(geometry: Conv2dGeometry): boolean {
  const g = geometry;
  return g.kernelHeight === 1 && g.kernelWidth === 1 && g.strideHeight === 1 && g.strideWidth === 1 && g.padTop === 0 && g.padLeft === 0 && g.outHeight === g.inHeight && g.outWidth === g.inWidth;
}

/** target[targetOffset..+length] = source[sourceOffset..+length]. */
export function copyRun(source: Float32Array, sourceOffset: number, target: Float32Array, targetOffset: number, length: number): void {
  if (length >= SET_MIN_LENGTH) {
    target.set(source.subarray(sourceOffset, sourceOffset + length), targetOffset);
    return;
  }
  for (let index = 0; index < length; index++) target[targetOffset + index] = source[sourceOffset + index] as number;
}

function zeroRun(target: Float32Array, start: number, end: number): void {
  for (let index = start; index < end; index++) target[index] = 0;
}

/** One kernel tap's row of cols: which input rows/columns feed it. */
interface TapRow {
  readonly channelBase: number;
  readonly rowOffset: number;
  readonly colOffset: number;
  readonly target: number;
}

/** cols rows ← im2col(image): (channels, H, W) → (channels·kH·kW, oH·oW) at colsOffset, row stride ld. */
export function im2col(layout: ColumnLayout): void {
  const { geometry, channels, image, imageOffset, cols, colsOffset, ld } = layout;
  const { inHeight, inWidth, kernelHeight, kernelWidth, padTop, padLeft, dilationHeight, dilationWidth } = geometry;
  const inPlane = inHeight * inWidth;
  if (isPointwise(geometry)) {
    for (let channel = 0; channel < channels; channel++) copyRun(image, imageOffset + channel * inPlane, cols, colsOffset + channel * ld, inPlane);
    return;
  }
  const block = geometry.strideWidth === 1 && geometry.strideHeight === 1 && geometry.outWidth === inWidth;
  let row = 0;
  for (let channel = 0; channel < channels; channel++) {
    const channelBase = imageOffset + channel * inPlane;
    for (let kh = 0; kh < kernelHeight; kh++) {
      for (let kw = 0; kw < kernelWidth; kw++, row++) {
        const tap = { channelBase, rowOffset: kh * dilationHeight - padTop, colOffset: kw * dilationWidth - padLeft, target: colsOffset + row * ld };
        if (block) copyTapBlock(geometry, image, cols, tap);
        else copyTapRows(geometry, image, cols, tap);
      }
    }
  }
}

/** Any geometry: row by row, zero borders, interior run (contiguous when strideWidth is 1). */
function copyTapRows(geometry: Conv2dGeometry, image: Float32Array, cols: Float32Array, tap: TapRow): void {
  const { inHeight, inWidth, outHeight, outWidth, strideHeight, strideWidth } = geometry;
  const [first, end] = validRange(outWidth, strideWidth, tap.colOffset, inWidth);
  let target = tap.target;
  for (let oh = 0; oh < outHeight; oh++, target += outWidth) {
    const ih = oh * strideHeight + tap.rowOffset;
    if (ih < 0 || ih >= inHeight) {
      zeroRun(cols, target, target + outWidth);
      continue;
    }
    const rowBase = tap.channelBase + ih * inWidth + tap.colOffset;
    zeroRun(cols, target, target + first);
    if (strideWidth === 1) {
      copyRun(image, rowBase + first, cols, target + first, end - first);
    } else {
      for (let ow = first; ow < end; ow++) cols[target + ow] = image[rowBase + ow * strideWidth] as number;
    }
    zeroRun(cols, target + end, target + outWidth);
  }
}

/**
 * Stride 1 with oW = W: cols[oh·oW + ow] = image[(oh + rowOffset)·W + ow + colOffset] has a constant
 * index shift, so all valid rows are one copy; the border columns it overwrites are re-zeroed.
 */
function copyTapBlock(geometry: Conv2dGeometry, image: Float32Array, cols: Float32Array, tap: TapRow): void {
  const { inHeight, inWidth, outHeight, outWidth } = geometry;
  const [first, end] = validRange(outWidth, 1, tap.colOffset, inWidth);
  const [firstRow, endRow] = validRange(outHeight, 1, tap.rowOffset, inHeight);
  const target = tap.target;
  if (first >= end || firstRow >= endRow) {
    cols.fill(0, target, target + outHeight * outWidth);
    return;
  }
  cols.fill(0, target, target + firstRow * outWidth + first);
  const start = firstRow * outWidth + first;
  const length = (endRow - 1 - firstRow) * outWidth + end - first;
  copyRun(image, tap.channelBase + (firstRow + tap.rowOffset) * inWidth + tap.colOffset + first, cols, target + start, length);
  cols.fill(0, target + (endRow - 1) * outWidth + end, target + outHeight * outWidth);
  if (first === 0 && end === outWidth) return;
  for (let oh = firstRow; oh < endRow; oh++) {
    const rowStart = target + oh * outWidth;
    zeroRun(cols, rowStart, rowStart + first);
    zeroRun(cols, rowStart + end, rowStart + outWidth);
  }
}

/** image: (channels, H, W) += col2im(cols rows (channels·kH·kW, oH·oW) at colsOffset, row stride ld). */
export function col2im(layout: ColumnLayout): void {
  const { geometry, channels, image, imageOffset, cols, colsOffset, ld } = layout;
  const { inHeight, inWidth, kernelHeight, kernelWidth, outHeight, outWidth } = geometry;
  const { strideHeight, strideWidth, padTop, padLeft, dilationHeight, dilationWidth } = geometry;
  const inPlane = inHeight * inWidth;
  let row = 0;
  for (let channel = 0; channel < channels; channel++) {
    const channelBase = imageOffset + channel * inPlane;
    for (let kh = 0; kh < kernelHeight; kh++) {
      for (let kw = 0; kw < kernelWidth; kw++, row++) {
        const colOffset = kw * dilationWidth - padLeft;
        const [first, end] = validRange(outWidth, strideWidth, colOffset, inWidth);
        let source = colsOffset + row * ld;
        for (let oh = 0; oh < outHeight; oh++, source += outWidth) {
          const ih = oh * strideHeight - padTop + kh * dilationHeight;
          if (ih < 0 || ih >= inHeight) continue;
          const rowBase = channelBase + ih * inWidth + colOffset;
          if (strideWidth === 1) {
            for (let ow = first; ow < end; ow++) image[rowBase + ow] = (image[rowBase + ow] as number) + (cols[source + ow] as number);
          } else {
            for (let ow = first; ow < end; ow++) {
              const index = rowBase + ow * strideWidth;
              image[index] = (image[index] as number) + (cols[source + ow] as number);
            }
          }
        }
      }
    }
  }
}
