// Feature distillation "hints" (Romero et al. 2015, FitNets): the student's intermediate feature,
// mapped by a learnable regressor (a 1×1 convolution when channel counts differ), is pulled
// towards the teacher's feature by mean squared error. The teacher feature is detached.
import { ConfigError, ShapeError, formatShape, shapesEqual } from '@efficientdl/ir';
import { Conv2d, type Module, mseLoss } from '@efficientdl/nn';
import type { Generator, Tensor } from '@efficientdl/tensor';

export interface FeatureAdapterOptions {
  studentChannels: number;
  teacherChannels: number;
  generator?: Generator;
}

/** A 1×1 Conv2d mapping student channels to teacher channels (the FitNets regressor). */
export function createFeatureAdapter(options: FeatureAdapterOptions): Conv2d {
  const { studentChannels, teacherChannels } = options;
  if (!(Number.isInteger(studentChannels) && studentChannels > 0 && Number.isInteger(teacherChannels) && teacherChannels > 0)) {
    throw new ConfigError(`createFeatureAdapter: channel counts must be positive integers, got ${studentChannels} → ${teacherChannels}`);
  }
  return new Conv2d({ inChannels: studentChannels, outChannels: teacherChannels, kernelSize: 1, generator: options.generator });
}

// studentFeature: (N, Cs, H, W); teacherFeature: (N, Ct, H, W); adapter maps Cs → Ct
export function featureDistillationLoss(studentFeature: Tensor, teacherFeature: Tensor, adapter?: Module): Tensor {
  const mapped = adapter ? (adapter.call(studentFeature) as Tensor) : studentFeature;
  if (!shapesEqual(mapped.shape, teacherFeature.shape)) {
    throw new ShapeError(
      `featureDistillationLoss: student feature ${formatShape(mapped.shape)}${adapter ? ' (after the adapter)' : ''} and teacher feature ${formatShape(teacherFeature.shape)} differ; pass an adapter from createFeatureAdapter`,
      { op: 'featureDistillationLoss' },
    );
  }
  return mseLoss(mapped, teacherFeature.detach());
}
