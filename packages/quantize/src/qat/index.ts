// Quantization-aware training: fake quantization with a straight-through gradient, prepareQAT →
// train with nn's fit → convertQAT to the ONNX QDQ graph.
export { fakeQuantize, quantizeDequantize, representableMask } from './fake-quantize.js';
export { QatModel, type QatSettings } from './qat-model.js';
export { type QatConfig, calibrateQAT, prepareQAT } from './prepare-qat.js';
export { convertQAT } from './convert-qat.js';
