// Calibration observers: min/max, moving-average min/max, and histogram-based percentile,
// entropy (KL) and MSE clip searches.
export { type ObservedRange, type Observer, type ObserverKind, OBSERVER_KINDS } from './observer.js';
export { MinMaxObserver, MovingAverageMinMaxObserver, type MovingAverageOptions } from './min-max-observer.js';
export { HistogramObserver, type HistogramObserverKind, type HistogramObserverOptions } from './histogram-observer.js';
export { type HistogramView, StreamingHistogram, histogramQuantile } from './streaming-histogram.js';
export { type ClipSearchOptions, entropyClip, mseClip } from './clip-search.js';
export { type ObserverConfig, createObserver } from './create-observer.js';
