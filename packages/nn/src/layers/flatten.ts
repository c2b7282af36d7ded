// Flatten (torch.nn.Flatten): merges dims startDim..endDim. The default (1, -1) is ONNX Flatten
// with axis 1; other ranges become a Reshape computed from the static input shape.
import { normalizeAxis } from '@efficientdl/ir';
import { F, type Tensor } from '@efficientdl/tensor';
import { Module } from '../module.js';

export class Flatten extends Module {
  readonly startDim: number;
  readonly endDim: number;

  constructor(options: { startDim?: number; endDim?: number } = {}) {
    super();
    this.startDim = options.startDim ?? 1;
    this.endDim = options.endDim ?? -1;
  }

  // x: (d0, ..., d[start], ..., d[end], ...) → (d0, ..., d[start]·…·d[end], ...)
  forward(x: Tensor): Tensor {
    const start = normalizeAxis(this.startDim, x.rank, 'Flatten');
    const end = normalizeAxis(this.endDim, x.rank, 'Flatten');
    if (start === 1 && end === x.rank - 1) return F.flatten(x, 1);
    const merged = x.shape.slice(start, end + 1).reduce((product, dim) => product * dim, 1);
    return F.reshape(x, [...x.shape.slice(0, start), merged, ...x.shape.slice(end + 1)]);
  }
}
