// The workload list of `pnpm bench`, full size or `--quick` (tiny sizes, for the smoke test).
import { cnnInferenceWorkload, cnnTrainingWorkload } from './cnn-workloads.js';
import { convWorkload, depthwiseSeparableWorkload, gemmFp32Workload, gemmInt8Workload } from './operator-workloads.js';
import { sparseWorkloads } from './sparse-workloads.js';
import type { Workload } from './workload-types.js';

export function allWorkloads(options: { quick?: boolean } = {}): Workload[] {
  const quick = options.quick ?? false;
  const gemmSizes = quick ? [32, 64] : [256, 512, 1024];
  const convBatch = quick ? 2 : 64;
  const inferenceBatches = quick ? [1, 2] : [1, 64];
  return [
    ...gemmSizes.map(gemmFp32Workload),
    ...gemmSizes.map(gemmInt8Workload),
    convWorkload(`fmnist-conv1-b${convBatch}`, { batch: convBatch, inChannels: 1, outChannels: 16, size: 28 }),
    convWorkload(`fmnist-conv2-b${convBatch}`, { batch: convBatch, inChannels: 16, outChannels: 32, size: 14 }),
    depthwiseSeparableWorkload(quick ? { batch: 1, channels: 8, size: 14 } : { batch: 8, channels: 32, size: 56 }),
    ...inferenceBatches.map(cnnInferenceWorkload),
    cnnTrainingWorkload(quick ? 4 : 64),
    ...sparseWorkloads({ batch: quick ? 2 : 64 }),
  ];
}
