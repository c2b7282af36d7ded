// Input preprocessing inside the graph: pixels in [0, 1] are resized to the subnet's resolution
// (ONNX Resize, bilinear, half-pixel, axes [2, 3]) when it differs from the input size, then
// normalized with the dataset's mean and std, so an exported subnet takes raw [0, 1] pixels.
import { F, type Tensor, runUnary } from '@efficientdl/tensor';

export interface PreprocessOptions {
  resolution: number;
  mean: number;
  std: number;
}

// pixels: (N, C, H, W) in [0, 1] → (N, C, resolution, resolution) normalized
export function preprocess(pixels: Tensor, options: PreprocessOptions): Tensor {
  const { resolution } = options;
  const resized =
    pixels.shape[2] === resolution && pixels.shape[3] === resolution
      ? pixels
      : runUnary('Resize', [pixels, undefined, undefined, F.int64([resolution, resolution])], { mode: 'linear', axes: [2, 3] });
  return F.div(F.sub(resized, options.mean), options.std);
}
