// Sequential (torch.nn.Sequential): children named '0', '1', … run in order, so parameter names
// read `features.0.weight` as in PyTorch. Layers can be swapped with setModule('1', layer).
import type { Tensor } from '@efficientdl/tensor';
import { Module } from '../module.js';

export class Sequential extends Module {
  constructor(...layers: Module[]) {
    super();
    for (const layer of layers) this.append(layer);
  }

  /** Adds a layer at the end, named by its index. */
  append(layer: Module): this {
    this.registerModule(String(this.length), layer);
    return this;
  }

  get length(): number {
    let count = 0;
    for (const _ of this.children()) count++;
    return count;
  }

  /** The layer at `index` (negative counts from the end). */
  at(index: number): Module | undefined {
    const position = index < 0 ? this.length + index : index;
    return this.getModule(String(position)) as Module | undefined;
  }

  [Symbol.iterator](): Iterator<Module> {
    return (this.children() as IterableIterator<Module>)[Symbol.iterator]();
  }

  forward(x: Tensor): Tensor {
    let output = x;
    for (const layer of this.children()) output = (layer as Module).call(output);
    return output;
  }
}
