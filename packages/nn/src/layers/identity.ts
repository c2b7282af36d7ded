// Identity (torch.nn.Identity): returns its input unchanged (a placeholder for removed layers).
import type { Tensor } from '@efficientdl/tensor';
import { Module } from '../module.js';

export class Identity extends Module {
  forward(x: Tensor): Tensor {
    return x;
  }
}
