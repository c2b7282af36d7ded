// Graph passes: pure functions Graph -> Graph, each testable alone (DESIGN §2).
export { eliminateDeadCode } from './eliminate-dead-code.js';
export { type FoldConstantsOptions, foldConstants } from './fold-constants.js';
export { foldBatchNorm } from './fold-batch-norm.js';
