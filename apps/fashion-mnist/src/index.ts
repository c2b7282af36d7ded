// The app's model, exported for the workspace's benchmark and profiling scripts (the app is
// private: this is not a published library API).
export { CLASS_NAMES, FashionCnn, type FashionCnnOptions, PIXEL_MEAN, PIXEL_STD } from './model.js';
export { FashionResidualCnn, type FashionResidualCnnOptions, ResidualBlock } from './residual-model.js';
