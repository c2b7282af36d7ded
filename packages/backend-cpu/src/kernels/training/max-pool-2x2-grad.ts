// MaxPoolGrad fast path for 2×2 windows, stride 2, no padding (kernels/pooling/max-pool-2x2.ts's
// isMaxPool2x2 case) in one pass: each window's first maximum is found as MaxPool does (row-major
// scan, a later element wins only if strictly greater, so ties and NaN keep the first) and dY is
// written there; the windows do not overlap and dX starts zeroed, so nothing else is written and no
// argmax / value buffers are allocated.
// reference: https://onnx.ai/onnx/operators/onnx__MaxPool.html (the forward op)
import type { PoolSetup } from '../pooling/pool-setup.js';

/** dx: (planes, H, W), zero on entry, receives dy: (planes, H/2, W/2) at each window's first maximum. */
export function maxPool2x2GradFused(setup: PoolSetup, x: Float32Array, dy: Float32Array, dx: Float32Array): void {
  const [, inH, inW] = setup.lifted.inputSize;
  const [, outH, outW] = setup.lifted.outputSize;
  let source = 0;
  for (let plane = 0; plane < setup.planes; plane++) {
    const planeBase = plane * inH * inW;
    for (let oh = 0; oh < outH; oh++, source += outW) routeRow(x, dy, dx, { top: planeBase + 2 * oh * inW, width: inW, outW, source });
  }
}

/** One output row: windows at top + 2·ow (and the row below). */
function routeRow(x: Float32Array, dy: Float32Array, dx: Float32Array, row: { top: number; width: number; outW: number; source: number }): void {
  const { width, outW, source } = row;
  let top = row.top;
  for (let ow = 0; ow < outW; ow++, top += 2) {
    // branch-free "move to the candidate if strictly greater" (random data defeats branch prediction)
    let best = top;
    let value = x[top] as number;
    let candidate = x[top + 1] as number;
    let greater = Number(candidate > value);
    best += greater;
    value = greater ? candidate : value;
    candidate = x[top + width] as number;
    greater = Number(candidate > value);
    best += greater * (top + width - best);
    value = greater ? candidate : value;
    candidate = x[top + width + 1] as number;
    greater = Number(candidate > value);
    best += greater * (top + width + 1 - best);
    dx[best] = dy[source + ow] as number;
  }
}
