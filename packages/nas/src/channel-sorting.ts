// Channel sorting by importance (once-for-all's re-organisation before elastic width/expand):
// channels are permuted so the most important come first, because a narrower subnet keeps the
// first C channels. Importance is the L1 norm of the weights that read (hidden channels: the
// project conv's input columns) or write (stem/stage outputs: conv rows) a channel. Every layer
// coupled to a channel (producer rows, BatchNorm entries, consumer columns, residual partners) is
// permuted together, so the largest subnet computes exactly the same function afterwards.
import { noGrad, type Tensor } from '@efficientdl/tensor';
import type { ElasticBatchNorm2d } from './elastic-batch-norm.js';
import type { ElasticConvBn } from './elastic-blocks.js';
import type { MobileNetSupernet } from './supernet.js';

/** Reorders `tensor` along `axis` in place: new index i takes old index order[i]. */
export function permuteAxis(tensor: Tensor, order: readonly number[], axis: number): void {
  const shape = tensor.shape as readonly number[];
  const values = tensor.values as Float32Array;
  const outer = shape.slice(0, axis).reduce((a, b) => a * b, 1);
  const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const size = shape[axis] as number;
  const source = values.slice();
  for (let block = 0; block < outer; block++) {
    order.forEach((from, to) => {
      const target = (block * size + to) * inner;
      values.set(source.subarray((block * size + from) * inner, (block * size + from + 1) * inner), target);
    });
  }
}

/** Sum of |w| per index of `axis` (e.g. per output row for axis 0). */
export function l1PerIndex(tensor: Tensor, axis: number): Float64Array {
  const shape = tensor.shape as readonly number[];
  const values = tensor.values as Float32Array;
  const inner = shape.slice(axis + 1).reduce((a, b) => a * b, 1);
  const size = shape[axis] as number;
  const sums = new Float64Array(size);
  for (let index = 0; index < values.length; index++) {
    const channel = Math.floor(index / inner) % size;
    sums[channel] = (sums[channel] as number) + Math.abs(values[index] as number);
  }
  return sums;
}

/** Indices sorted by decreasing importance (stable). */
export function importanceOrder(importance: ArrayLike<number>): number[] {
  return Array.from({ length: importance.length }, (_, index) => index).sort((a, b) => (importance[b] as number) - (importance[a] as number) || a - b);
}

function permuteBatchNorm(bn: ElasticBatchNorm2d, order: readonly number[]): void {
  for (const name of ['weight', 'bias'] as const) permuteAxis(bn.getParameter(name) as Tensor, order, 0);
  for (const name of ['running_mean', 'running_var'] as const) permuteAxis(bn.getBuffer(name) as Tensor, order, 0);
}

/** Permutes the output channels of a conv + BN unit. */
function permuteOutputs(unit: ElasticConvBn, order: readonly number[]): void {
  permuteAxis(unit.conv.getParameter('weight') as Tensor, order, 0);
  permuteBatchNorm(unit.bn, order);
}

function addInto(total: Float64Array, part: Float64Array): void {
  for (let index = 0; index < total.length; index++) total[index] = (total[index] as number) + (part[index] as number);
}

/** Sorts each block's hidden channels by the L1 norm of the project conv's input columns. */
function sortHiddenChannels(supernet: MobileNetSupernet): void {
  for (const block of supernet.blocks.flat()) {
    const project = block.project.conv.getParameter('weight') as Tensor; // (out, hidden, 1, 1)
    const order = importanceOrder(l1PerIndex(project, 1));
    permuteOutputs(block.expand, order);
    permuteAxis(block.depthwise.conv.getParameter('weight') as Tensor, order, 0);
    permuteBatchNorm(block.depthwise.bn, order);
    permuteAxis(project, order, 1);
  }
}

/** Sorts the stem's and every stage's output channels (shared by a stage's residual chain). */
function sortStageChannels(supernet: MobileNetSupernet): void {
  const stemOrder = importanceOrder(l1PerIndex(supernet.stem.conv.getParameter('weight') as Tensor, 0));
  permuteOutputs(supernet.stem, stemOrder);
  const firstBlock = supernet.blocks[0]?.[0];
  if (firstBlock) permuteAxis(firstBlock.expand.conv.getParameter('weight') as Tensor, stemOrder, 1);
  supernet.blocks.forEach((blocks, stage) => {
    const importance = new Float64Array(blocks[0]?.project.conv.maxOutChannels ?? 0);
    for (const block of blocks) addInto(importance, l1PerIndex(block.project.conv.getParameter('weight') as Tensor, 0));
    const order = importanceOrder(importance);
    blocks.forEach((block, index) => {
      permuteOutputs(block.project, order);
      if (index > 0) permuteAxis(block.expand.conv.getParameter('weight') as Tensor, order, 1);
    });
    const consumer = supernet.blocks[stage + 1]?.[0]?.expand ?? supernet.head;
    permuteAxis(consumer.conv.getParameter('weight') as Tensor, order, 1);
  });
}

/** Sorts hidden and (optionally) stage channels by importance, in place. */
export function sortChannelsByImportance(supernet: MobileNetSupernet, options: { stageChannels?: boolean } = {}): void {
  noGrad(() => {
    sortHiddenChannels(supernet);
    if (options.stageChannels ?? true) sortStageChannels(supernet);
  });
}
