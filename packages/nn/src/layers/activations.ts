// Activation layers (torch.nn.ReLU, LeakyReLU, GELU, Sigmoid, Tanh, Hardswish, Softmax), each
// one ONNX op.
import { F, type Tensor } from '@efficientdl/tensor';
import { Module } from '../module.js';

export class ReLU extends Module {
  forward(x: Tensor): Tensor {
    return F.relu(x);
  }
}

export class LeakyReLU extends Module {
  readonly negativeSlope: number;
  constructor(options: { negativeSlope?: number } = {}) {
    super();
    this.negativeSlope = options.negativeSlope ?? 0.01;
  }
  forward(x: Tensor): Tensor {
    return F.leakyRelu(x, this.negativeSlope);
  }
  override describe(): string {
    return `LeakyReLU(${this.negativeSlope})`;
  }
}

export class GELU extends Module {
  readonly approximate: 'none' | 'tanh';
  constructor(options: { approximate?: 'none' | 'tanh' } = {}) {
    super();
    this.approximate = options.approximate ?? 'none';
  }
  forward(x: Tensor): Tensor {
    return F.gelu(x, this.approximate);
  }
}

export class Sigmoid extends Module {
  forward(x: Tensor): Tensor {
    return F.sigmoid(x);
  }
}

export class Tanh extends Module {
  forward(x: Tensor): Tensor {
    return F.tanh(x);
  }
}

export class HardSwish extends Module {
  forward(x: Tensor): Tensor {
    return F.hardSwish(x);
  }
}

export class Softmax extends Module {
  readonly dim: number;
  constructor(options: { dim?: number } = {}) {
    super();
    this.dim = options.dim ?? -1;
  }
  forward(x: Tensor): Tensor {
    return F.softmax(x, this.dim);
  }
}
