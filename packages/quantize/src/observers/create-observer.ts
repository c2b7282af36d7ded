// Observer configs (plain data with a `kind`) and the factory that builds an observer from one.
import { ConfigError } from '@efficientdl/ir';
import { type HistogramObserverOptions, HistogramObserver } from './histogram-observer.js';
import { type MovingAverageOptions, MinMaxObserver, MovingAverageMinMaxObserver } from './min-max-observer.js';
import { OBSERVER_KINDS, type Observer, type ObserverKind } from './observer.js';

export type ObserverConfig =
  | { kind: 'minmax' }
  | ({ kind: 'movingAverageMinMax' } & MovingAverageOptions)
  | ({ kind: 'percentile' | 'entropy' | 'mse' } & HistogramObserverOptions);

/** Accepts a kind name or a config; histogram observers get `defaults` (dtype, symmetric) unless set. */
export function createObserver(config: ObserverKind | ObserverConfig, name: string, defaults: HistogramObserverOptions = {}): Observer {
  const resolved: ObserverConfig = typeof config === 'string' ? ({ kind: config } as ObserverConfig) : config;
  switch (resolved.kind) {
    case 'minmax':
      return new MinMaxObserver(name);
    case 'movingAverageMinMax':
      return new MovingAverageMinMaxObserver(name, resolved);
    case 'percentile':
    case 'entropy':
    case 'mse':
      return new HistogramObserver(resolved.kind, name, { ...defaults, ...resolved });
    default:
      throw new ConfigError(`unknown observer '${String((resolved as { kind: unknown }).kind)}' (choose one of ${OBSERVER_KINDS.join(', ')})`, {
        observer: (resolved as { kind: unknown }).kind,
      });
  }
}
