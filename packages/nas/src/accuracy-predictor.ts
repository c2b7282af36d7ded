// Accuracy predictor (once-for-all): a small MLP (nn Linear + ReLU) from architecture encodings
// to measured accuracy, trained with Adam on mean squared error over standardized targets from
// subnets sampled from the trained supernet and measured on held-out data.
import { ConfigError, fromNumbers } from '@efficientdl/ir';
import { Adam, Linear, Module, mseLoss } from '@efficientdl/nn';
import { F, Generator, Tensor, noGrad } from '@efficientdl/tensor';
import { encodeSubnet, encodingLength } from './encoding.js';
import type { SearchSpace, SubnetConfig } from './search-space.js';

export interface AccuracySample {
  config: SubnetConfig;
  accuracy: number;
}

class PredictorMlp extends Module {
  private readonly layers: Linear[];

  constructor(options: { inputs: number; hidden: number; seed: number }) {
    super();
    const generator = new Generator(options.seed);
    const { inputs, hidden } = options;
    this.layers = [
      this.registerModule('0', new Linear({ inFeatures: inputs, outFeatures: hidden, generator })),
      this.registerModule('1', new Linear({ inFeatures: hidden, outFeatures: hidden, generator })),
      this.registerModule('2', new Linear({ inFeatures: hidden, outFeatures: 1, generator })),
    ];
  }

  // x: (N, features) → (N, 1)
  forward(x: Tensor): Tensor {
    const [first, second, last] = this.layers as [Linear, Linear, Linear];
    return last.call(F.relu(second.call(F.relu(first.call(x)))));
  }
}

export interface FitPredictorOptions {
  space: SearchSpace;
  samples: readonly AccuracySample[];
  hidden?: number;
  /** Full-batch Adam steps (default 600). */
  steps?: number;
  lr?: number;
  weightDecay?: number;
  seed?: number;
}

export interface PredictorQuality {
  /** Root mean squared error in accuracy units. */
  rmse: number;
  meanAbsoluteError: number;
  /** Kendall rank correlation between predictions and measurements (1 = same order). */
  kendallTau: number;
}

export class AccuracyPredictor {
  readonly space: SearchSpace;
  private readonly network: Module;
  private readonly mean: number;
  private readonly scale: number;

  /** Use fitAccuracyPredictor; `network` maps (N, encodingLength) to standardized accuracy (N, 1). */
  constructor(options: { space: SearchSpace; network: Module; mean: number; scale: number }) {
    this.space = options.space;
    this.network = options.network;
    this.mean = options.mean;
    this.scale = options.scale;
  }

  /** Predicted accuracies of several configs in one forward. */
  predictMany(configs: readonly SubnetConfig[]): number[] {
    if (configs.length === 0) return [];
    const features = configs.flatMap((config) => encodeSubnet(this.space, config));
    const inputs = new Tensor(fromNumbers('float32', [configs.length, encodingLength(this.space)], features));
    const outputs = noGrad(() => this.network.call(inputs));
    return Array.from(outputs.values as Float32Array, (value) => this.mean + this.scale * value);
  }

  predict(config: SubnetConfig): number {
    return this.predictMany([config])[0] as number;
  }

  /** Error and rank agreement on measured samples. */
  quality(samples: readonly AccuracySample[]): PredictorQuality {
    const predicted = this.predictMany(samples.map((sample) => sample.config));
    const errors = samples.map((sample, index) => (predicted[index] as number) - sample.accuracy);
    return {
      rmse: Math.sqrt(errors.reduce((total, error) => total + error * error, 0) / Math.max(1, errors.length)),
      meanAbsoluteError: errors.reduce((total, error) => total + Math.abs(error), 0) / Math.max(1, errors.length),
      kendallTau: kendallTau(predicted, samples.map((sample) => sample.accuracy)),
    };
  }
}

/** Kendall's tau-a between two equally long lists. */
export function kendallTau(first: readonly number[], second: readonly number[]): number {
  let concordant = 0;
  let pairs = 0;
  for (let i = 0; i < first.length; i++) {
    for (let j = i + 1; j < first.length; j++) {
      const sign = Math.sign(((first[i] as number) - (first[j] as number)) * ((second[i] as number) - (second[j] as number)));
      concordant += sign;
      pairs++;
    }
  }
  return pairs === 0 ? 0 : concordant / pairs;
}

/** Trains the accuracy predictor on measured (config, accuracy) samples. */
export function fitAccuracyPredictor(options: FitPredictorOptions): AccuracyPredictor {
  const { space, samples } = options;
  if (samples.length < 2) throw new ConfigError(`accuracy predictor: needs at least 2 measured subnets, got ${samples.length}`);
  const accuracies = samples.map((sample) => sample.accuracy);
  const mean = accuracies.reduce((a, b) => a + b, 0) / accuracies.length;
  const spread = Math.sqrt(accuracies.reduce((total, value) => total + (value - mean) ** 2, 0) / accuracies.length);
  const scale = spread > 1e-6 ? spread : 1;
  const network = new PredictorMlp({ inputs: encodingLength(space), hidden: options.hidden ?? 64, seed: options.seed ?? 0 });
  const features = samples.flatMap((sample) => encodeSubnet(space, sample.config));
  const inputs = new Tensor(fromNumbers('float32', [samples.length, encodingLength(space)], features));
  const targets = new Tensor(fromNumbers('float32', [samples.length, 1], accuracies.map((value) => (value - mean) / scale)));
  const optimizer = new Adam(network.parameters(), { lr: options.lr ?? 3e-3, weightDecay: options.weightDecay ?? 1e-4 });
  for (let step = 0; step < (options.steps ?? 600); step++) {
    const loss = mseLoss(network.call(inputs), targets);
    optimizer.zeroGrad();
    loss.backward();
    optimizer.step();
  }
  return new AccuracyPredictor({ space, network, mean, scale });
}
