// Readable reference convolution (1-D, 2-D, 3-D; groups, strides, dilations, pads, bias) as
// direct nested loops with float64 accumulation. Every rank is lifted to (D, H, W) with size-1
// leading axes. It is the oracle of the im2col/GEMM fast path (fast/conv2d.ts).
// reference: https://onnx.ai/onnx/operators/onnx__Conv.html
import type { FloatArray } from '../linear/kernel-helpers.js';
import { type SpatialGeometry, liftGeometry } from './spatial-geometry.js';

export interface ConvProblem {
  /** x: (N, C, D1, …) values */
  readonly x: ArrayLike<number>;
  /** w: (M, C/group, k1, …) values */
  readonly w: ArrayLike<number>;
  /** bias: (M) values, optional */
  readonly bias?: ArrayLike<number>;
  readonly batch: number;
  readonly inChannels: number;
  readonly outChannels: number;
  readonly group: number;
  readonly geometry: SpatialGeometry;
}

/** y: (N, M, O1, …) written into `y` (length N·M·∏O). */
export function convReference(problem: ConvProblem, y: FloatArray): void {
  const { x, w, bias, batch, inChannels, outChannels, group } = problem;
  const g = liftGeometry(problem.geometry);
  const [inD, inH, inW] = g.inputSize;
  const [kD, kH, kW] = g.kernelSize;
  const [outD, outH, outW] = g.outputSize;
  const channelsPerGroup = inChannels / group;
  const outPerGroup = outChannels / group;
  const inSpatial = inD * inH * inW;
  const kernelVolume = kD * kH * kW;
  let target = 0;
  for (let n = 0; n < batch; n++) {
    for (let m = 0; m < outChannels; m++) {
      const firstChannel = Math.floor(m / outPerGroup) * channelsPerGroup;
      for (let od = 0; od < outD; od++) {
        for (let oh = 0; oh < outH; oh++) {
          for (let ow = 0; ow < outW; ow++) {
            let sum = bias ? (bias[m] as number) : 0;
            for (let c = 0; c < channelsPerGroup; c++) {
              const xBase = (n * inChannels + firstChannel + c) * inSpatial;
              const wBase = (m * channelsPerGroup + c) * kernelVolume;
              for (let kd = 0; kd < kD; kd++) {
                const id = od * g.strides[0] - g.padsBegin[0] + kd * g.dilations[0];
                if (id < 0 || id >= inD) continue;
                for (let kh = 0; kh < kH; kh++) {
                  const ih = oh * g.strides[1] - g.padsBegin[1] + kh * g.dilations[1];
                  if (ih < 0 || ih >= inH) continue;
                  for (let kw = 0; kw < kW; kw++) {
                    const iw = ow * g.strides[2] - g.padsBegin[2] + kw * g.dilations[2];
                    if (iw < 0 || iw >= inW) continue;
                    sum += (x[xBase + (id * inH + ih) * inW + iw] as number) * (w[wBase + (kd * kH + kh) * kW + kw] as number);
                  }
                }
              }
            }
            y[target++] = sum;
          }
        }
      }
    }
  }
}
