// fitDistiller: nn's fit with a Distiller as the model and its KD loss (fitLoss) as the loss.
import { type FitOptions, type FitResult, fit } from '@efficientdl/nn';
import type { Distiller } from './distiller.js';

export interface FitDistillerOptions extends Omit<FitOptions, 'model' | 'loss'> {
  distiller: Distiller;
}

/** Trains the distiller's student against its teacher; optimizer should hold distiller.parameters(). */
export function fitDistiller(options: FitDistillerOptions): Promise<FitResult> {
  const { distiller, ...rest } = options;
  return fit({ ...rest, model: distiller, loss: distiller.fitLoss() });
}
