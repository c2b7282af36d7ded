// Lowering of QDQ graphs to integer kernels (QLinearConv and integer layout ops).
export { lowerToIntegerOps } from './lower-to-integer.js';
export { type GraphIndex, type QuantizedSource, dequantizedFrom, indexGraph, soleQuantizer } from './qdq-patterns.js';
