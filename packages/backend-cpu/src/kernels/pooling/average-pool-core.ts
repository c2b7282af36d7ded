// The window walk of AveragePool and AveragePoolGrad: per output element, the kernel taps that
// land inside the input and the divisor (taps inside the input, or inside input + explicit pads
// when count_include_pad). Forward averages x over the taps; backward spreads dy over them.
// reference: https://onnx.ai/onnx/operators/onnx__AveragePool.html
import type { PoolSetup } from './pool-setup.js';

/** Taps k ∈ [first, end) of one axis whose position start + k·dilation lies in [lower, upper). */
function tapRange(start: number, dilation: number, taps: number, lower: number, upper: number): [number, number] {
  const first = Math.max(0, Math.ceil((lower - start) / dilation));
  const end = Math.min(taps, Math.max(0, Math.ceil((upper - start) / dilation)));
  return [first, Math.max(first, end)];
}

export interface AverageWalk {
  readonly setup: PoolSetup;
  readonly countIncludePad: boolean;
  /** 'forward': target[o] = mean(source[window]); 'backward': target[window] += source[o] / divisor. */
  readonly direction: 'forward' | 'backward';
  readonly source: ArrayLike<number>;
  readonly target: { [index: number]: number };
}

export function averagePoolWalk(walk: AverageWalk): void {
  const { setup, source, target, direction } = walk;
  const { inputSize, kernelSize, strides, dilations, padsBegin, padsEnd, outputSize } = setup.lifted;
  const inPlane = inputSize[0] * inputSize[1] * inputSize[2];
  const ranges = (axis: 0 | 1 | 2, o: number) => {
    const start = o * strides[axis] - padsBegin[axis];
    const valid = tapRange(start, dilations[axis], kernelSize[axis], 0, inputSize[axis]);
    const padded = tapRange(start, dilations[axis], kernelSize[axis], -padsBegin[axis], inputSize[axis] + padsEnd[axis]);
    return { start, valid, count: walk.countIncludePad ? padded[1] - padded[0] : valid[1] - valid[0] };
  };
  let outIndex = 0;
  for (let plane = 0; plane < setup.planes; plane++) {
    const base = plane * inPlane;
    for (let od = 0; od < outputSize[0]; od++) {
      const d = ranges(0, od);
      for (let oh = 0; oh < outputSize[1]; oh++) {
        const h = ranges(1, oh);
        for (let ow = 0; ow < outputSize[2]; ow++, outIndex++) {
          const w = ranges(2, ow);
          const divisor = d.count * h.count * w.count;
          let sum = 0;
          const share = direction === 'backward' ? (source[outIndex] as number) / divisor : 0;
          for (let kd = d.valid[0]; kd < d.valid[1]; kd++) {
            const id = d.start + kd * dilations[0];
            for (let kh = h.valid[0]; kh < h.valid[1]; kh++) {
              const rowBase = base + (id * inputSize[1] + h.start + kh * dilations[1]) * inputSize[2] + w.start;
              for (let kw = w.valid[0]; kw < w.valid[1]; kw++) {
                const index = rowBase + kw * dilations[2];
                if (direction === 'forward') sum += source[index] as number;
                else target[index] = (target[index] as number) + share;
              }
            }
          }
          if (direction === 'forward') target[outIndex] = divisor > 0 ? sum / divisor : Number.NaN;
        }
      }
    }
  }
}
