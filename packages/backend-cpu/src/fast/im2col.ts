// im2col / col2im for 2-D convolution over float32: one image's channels become a column
// matrix cols: (C·kH·kW, oH·oW) so that convolution is a GEMM with W: (M, C·kH·kW).
// col2im is its adjoint (scatter-add), used for the input gradient.

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

/** Output columns [first, end) whose input column first·s − p + kOffset lies inside [0, size). */
function validRange(outSize: number, stride: number, offset: number, size: number): [number, number] {
  // input = out·stride + offset must satisfy 0 <= input < size
  const first = offset >= 0 ? 0 : Math.ceil(-offset / stride);
  const end = Math.min(outSize, Math.max(0, Math.ceil((size - offset) / stride)));
  return [Math.min(first, end), end];
}

/** cols: (channels·kH·kW, oH·oW) ← x[xOffset..]: (channels, H, W). */
export function im2col(x: Float32Array, xOffset: number, channels: number, geometry: Conv2dGeometry, cols: Float32Array): void {
  const { inHeight, inWidth, kernelHeight, kernelWidth, outHeight, outWidth } = geometry;
  const { strideHeight, strideWidth, padTop, padLeft, dilationHeight, dilationWidth } = geometry;
  const planeSize = outHeight * outWidth;
  let row = 0;
  for (let channel = 0; channel < channels; channel++) {
    const channelBase = xOffset + channel * inHeight * inWidth;
    for (let kh = 0; kh < kernelHeight; kh++) {
      for (let kw = 0; kw < kernelWidth; kw++, row++) {
        const colOffset = kw * dilationWidth - padLeft;
        const [firstCol, endCol] = validRange(outWidth, strideWidth, colOffset, inWidth);
        let target = row * planeSize;
        for (let oh = 0; oh < outHeight; oh++, target += outWidth) {
          const ih = oh * strideHeight - padTop + kh * dilationHeight;
          if (ih < 0 || ih >= inHeight) {
            cols.fill(0, target, target + outWidth);
            continue;
          }
          const rowBase = channelBase + ih * inWidth + colOffset;
          if (firstCol > 0) cols.fill(0, target, target + firstCol);
          if (strideWidth === 1) {
            cols.set(x.subarray(rowBase + firstCol, rowBase + endCol), target + firstCol);
          } else {
            for (let ow = firstCol; ow < endCol; ow++) cols[target + ow] = x[rowBase + ow * strideWidth] as number;
          }
          if (endCol < outWidth) cols.fill(0, target + endCol, target + outWidth);
        }
      }
    }
  }
}

/** dx[dxOffset..]: (channels, H, W) += col2im(cols: (channels·kH·kW, oH·oW)). */
export function col2im(cols: Float32Array, channels: number, geometry: Conv2dGeometry, dx: Float32Array, dxOffset: number): void {
  const { inHeight, inWidth, kernelHeight, kernelWidth, outHeight, outWidth } = geometry;
  const { strideHeight, strideWidth, padTop, padLeft, dilationHeight, dilationWidth } = geometry;
  const planeSize = outHeight * outWidth;
  let row = 0;
  for (let channel = 0; channel < channels; channel++) {
    const channelBase = dxOffset + channel * inHeight * inWidth;
    for (let kh = 0; kh < kernelHeight; kh++) {
      for (let kw = 0; kw < kernelWidth; kw++, row++) {
        const colOffset = kw * dilationWidth - padLeft;
        const [firstCol, endCol] = validRange(outWidth, strideWidth, colOffset, inWidth);
        let source = row * planeSize;
        for (let oh = 0; oh < outHeight; oh++, source += outWidth) {
          const ih = oh * strideHeight - padTop + kh * dilationHeight;
          if (ih < 0 || ih >= inHeight) continue;
          const rowBase = channelBase + ih * inWidth + colOffset;
          for (let ow = firstCol; ow < endCol; ow++) {
            const index = rowBase + ow * strideWidth;
            dx[index] = (dx[index] as number) + (cols[source + ow] as number);
          }
        }
      }
    }
  }
}
