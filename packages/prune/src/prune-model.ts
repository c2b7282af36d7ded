// prune(model, config): the one verb of the package (DESIGN §5). 'channel' granularity (the
// default) is structured pruning through the dependency graph: physical removal, a new
// GraphModule, the input untouched. Every other granularity ('element', 'kernel', 'block',
// 'n:m') goes to pruneSparse, which zeroes weights in place and returns the masks.
import type { GraphModule, Module } from '@efficientdl/nn';
import type { Tensor } from '@efficientdl/tensor';
import { type PruneResult, pruneChannels } from './channel/prune.js';
import type { PruneConfig } from './channel/prune-config.js';
import { pruneSparse } from './sparsity/prune-sparse.js';
import type { SparsityConfig } from './sparsity/sparsity-config.js';
import type { SparsityMasks } from './sparsity/sparsity-masks.js';

type Model = GraphModule | Module<Tensor | Tensor[]>;

export function prune(model: Model, config: PruneConfig): PruneResult;
export function prune(model: Model, config: SparsityConfig): SparsityMasks;
export function prune(model: Model, config: (PruneConfig) | SparsityConfig): PruneResult | SparsityMasks {
  if (config.granularity === undefined || config.granularity === 'channel') return pruneChannels(model, config as PruneConfig);
  return pruneSparse(model, config as SparsityConfig);
}
