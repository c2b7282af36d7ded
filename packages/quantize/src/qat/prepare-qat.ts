// prepareQAT: turns a float model (Graph or GraphModule) into a QatModel — BatchNorm folded,
// fake quantization placed where static quantization will put QDQ pairs — ready to train with
// nn's fit. calibrateQAT runs batches through it without training to initialise (or, alone,
// to set: that is post-training quantization) the activation ranges.
import { ConfigError, type Graph, foldBatchNorm } from '@efficientdl/ir';
import type { GraphModule } from '@efficientdl/nn';
import { type Tensor, noGrad } from '@efficientdl/tensor';
import { type ObserverConfig, createObserver } from '../observers/create-observer.js';
import type { ObserverKind } from '../observers/observer.js';
import { planQuantization } from '../ptq/quantization-plan.js';
import { QatModel } from './qat-model.js';

/** JSON-serializable QAT configuration. */
export interface QatConfig {
  kind?: 'qat';
  /** Weight bits: 8 (int8) or 4 (int4), symmetric. */
  weightBits: 8 | 4;
  /** Activation bits (8 only). */
  activationBits?: 8;
  /** One weight scale per output channel (default true). */
  perChannel?: boolean;
  /** Activation dtype (default 'uint8', as onnxruntime). */
  activationDType?: 'uint8' | 'int8';
  /** Activation range observer (default moving-average min/max with averaging constant 0.01). */
  observer?: ObserverKind | ObserverConfig;
}

function graphOf(model: Graph | GraphModule): Graph {
  return 'toGraph' in model ? model.toGraph() : model;
}

/** The QatModel of `model` (see the file header). */
export function prepareQAT(model: Graph | GraphModule, config: QatConfig): QatModel {
  if (config.weightBits !== 8 && config.weightBits !== 4) {
    throw new ConfigError(`prepareQAT: weightBits must be 8 or 4, got ${String(config.weightBits)}`, { weightBits: config.weightBits });
  }
  if ((config.activationBits ?? 8) !== 8) {
    throw new ConfigError(`prepareQAT: activationBits must be 8, got ${String(config.activationBits)}`, { activationBits: config.activationBits });
  }
  const observer = config.observer ?? { kind: 'movingAverageMinMax', averagingConstant: 0.01 };
  createObserver(observer, 'validation'); // ConfigError for an unknown observer
  const graph = foldBatchNorm(graphOf(model));
  const plan = planQuantization(graph, { fuseRelu: true });
  return new QatModel({
    graph,
    plan,
    settings: {
      weightDType: config.weightBits === 4 ? 'int4' : 'int8',
      activationDType: config.activationDType ?? 'uint8',
      perChannel: config.perChannel ?? true,
      observer,
    },
  });
}

/** Runs `batches` (a tensor, or [inputs, …] samples) through the model in training mode without gradients, updating the observers; returns the batch count. */
export function calibrateQAT(model: QatModel, batches: Iterable<Tensor | readonly Tensor[]>): number {
  const wasTraining = model.training;
  model.train();
  let count = 0;
  try {
    noGrad(() => {
      for (const batch of batches) {
        const inputs = Array.isArray(batch) ? (batch as readonly Tensor[]) : [batch as Tensor];
        const needed = model.graph.inputs.filter((input) => !model.graph.initializers.has(input.name)).length;
        model.forward(...inputs.slice(0, needed));
        count++;
      }
    });
  } finally {
    model.train(wasTraining);
  }
  if (count === 0) throw new ConfigError('calibrateQAT: no batches');
  return count;
}
