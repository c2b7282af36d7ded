// Embedding (torch.nn.Embedding): a lookup table (numEmbeddings, embeddingDim) read with ONNX
// Gather along axis 0; weight initialised N(0, 1) as PyTorch.
import { F, type Tensor } from '@efficientdl/tensor';
import { type InitOptions, normal } from '../init.js';
import { Module } from '../module.js';

export interface EmbeddingOptions extends InitOptions {
  numEmbeddings: number;
  embeddingDim: number;
}

export class Embedding extends Module {
  readonly numEmbeddings: number;
  readonly embeddingDim: number;

  constructor(options: EmbeddingOptions) {
    super();
    this.numEmbeddings = options.numEmbeddings;
    this.embeddingDim = options.embeddingDim;
    this.registerParameter('weight', normal([this.numEmbeddings, this.embeddingDim], 0, 1, options));
  }

  // indices: (...) int64 → (..., embeddingDim)
  forward(indices: Tensor): Tensor {
    return F.gather(this.getParameter('weight') as Tensor, indices, 0);
  }

  override describe(): string {
    return `Embedding(${this.numEmbeddings}, ${this.embeddingDim})`;
  }
}
