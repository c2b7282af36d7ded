// Dispatch of the training jobs from runJob: depthwise convolution and its gradients
// (depthwise-train-f32.ts, kinds 32-34), batch normalization (batch-norm-train-f32.ts, 36-37)
// ReluGrad, MaxPoolGrad, Relu and MaxPool (elementwise-train-f32.ts, 38-41) and im2col (im2col-f32.ts, 35).
import { isBatchNormTrainJob, runBatchNormTrainJob } from './batch-norm-train-f32';
import { isDepthwiseTrainJob, runDepthwiseTrainJob } from './depthwise-train-f32';
import { isElementwiseTrainJob, runElementwiseTrainJob } from './elementwise-train-f32';
import { isIm2colJob, runIm2colJob } from './im2col-f32';

export function isTrainingJob(kind: i32): bool {
  return isDepthwiseTrainJob(kind) || isBatchNormTrainJob(kind) || isElementwiseTrainJob(kind) || isIm2colJob(kind);
}

export function runTrainingJob(slot: usize, kind: i32): void {
  if (isDepthwiseTrainJob(kind)) runDepthwiseTrainJob(slot, kind);
  else if (isBatchNormTrainJob(kind)) runBatchNormTrainJob(slot, kind);
  else if (isIm2colJob(kind)) runIm2colJob(slot);
  else runElementwiseTrainJob(slot, kind);
}
