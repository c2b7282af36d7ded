// The int8 static post-training quantization strategy (config object) and its report types.
// int8Static({...}) validates the options and returns plain data with kind 'int8Static' (plus the
// calibration iterable, the one part that is not JSON).
import { ConfigError } from '@efficientdl/ir';
import { type ObserverConfig, createObserver } from '../observers/create-observer.js';
import type { ObserverKind } from '../observers/observer.js';
import type { CalibrationData } from './calibrate.js';

export interface Int8StaticOptions {
  /** Calibration batches (a DataLoader, an array of tensors, an async generator…). */
  calibration: CalibrationData;
  /** Activation range observer (default 'minmax'). */
  observer?: ObserverKind | ObserverConfig;
  /** Weights: one scale per output channel (default true) or per tensor. */
  perChannel?: boolean;
  /** Activation dtype (default 'uint8', as onnxruntime). */
  activationDType?: 'uint8' | 'int8';
  /** Symmetric activations (zero point 0 / 128); disables ReLU fusion. Default false. */
  symmetricActivations?: boolean;
}

export interface Int8StaticConfig {
  readonly kind: 'int8Static';
  readonly calibration: CalibrationData;
  readonly observer: ObserverKind | ObserverConfig;
  readonly perChannel: boolean;
  readonly activationDType: 'uint8' | 'int8';
  readonly symmetricActivations: boolean;
}

function isIterable(value: unknown): value is CalibrationData {
  if (typeof value !== 'object' || value === null) return false;
  return Symbol.iterator in value || Symbol.asyncIterator in value;
}

export function int8Static(options: Int8StaticOptions): Int8StaticConfig {
  if (!isIterable(options?.calibration)) {
    throw new ConfigError('int8Static: calibration must be an iterable (or async iterable) of input batches', { option: 'calibration' });
  }
  const observer = options.observer ?? 'minmax';
  createObserver(observer, 'validation'); // throws ConfigError for an unknown kind or bad settings
  const activationDType = options.activationDType ?? 'uint8';
  if (activationDType !== 'uint8' && activationDType !== 'int8') {
    throw new ConfigError(`int8Static: activationDType must be 'uint8' or 'int8', got '${String(activationDType)}'`, { option: 'activationDType' });
  }
  return {
    kind: 'int8Static',
    calibration: options.calibration,
    observer,
    perChannel: options.perChannel ?? true,
    activationDType,
    symmetricActivations: options.symmetricActivations ?? false,
  };
}

export interface ActivationReport {
  readonly name: string;
  /** Observed (clipped) range; absent for activations sharing another's parameters. */
  readonly range?: { readonly min: number; readonly max: number };
  readonly scale: number;
  readonly zeroPoint: number;
  /** The activation whose parameters this one reuses. */
  readonly sharedWith?: string;
  /** Names of its values in the QDQ graph: quantized (q<i>) and dequantized (dq<i>). */
  readonly values?: { readonly quantized: string; readonly dequantized: string };
}

export interface WeightReport {
  readonly node: string;
  readonly op: string;
  readonly weight: string;
  readonly reluFused: boolean;
}

export interface QuantizeReport {
  readonly kind: 'int8Static';
  readonly observer: string;
  readonly calibration: { readonly batches: number; readonly samples: number };
  readonly activations: readonly ActivationReport[];
  readonly weights: readonly WeightReport[];
  /** Calibration problems that did not stop quantization (NaN / Inf data, nothing to quantize…). */
  readonly warnings: readonly string[];
}
