// The ONNX-domain ops this backend declares, with the tensor types onnxruntime's CPU execution
// provider registers kernels for at the opset we export (21).
// reference: https://github.com/microsoft/onnxruntime/blob/main/docs/OperatorKernels.md
// (section CPUExecutionProvider), restricted to the dtypes onnxruntime-node can move.
import type { DType } from '@efficientdl/ir';

export interface OpSupport {
  /** Types of the op's main type variable; the first present input must have one of them. */
  readonly types: readonly DType[];
  /** Further types allowed for the other inputs (shape-like int64, Where's bool condition…). */
  readonly extra?: readonly DType[];
}

const FLOAT: readonly DType[] = ['float32'];
const REAL: readonly DType[] = ['float32', 'float64'];
// float16 where ORT has no half kernel still runs: its CPU provider inserts Casts to float32.
const HALF: readonly DType[] = ['float32', 'float16'];
const REAL_HALF: readonly DType[] = ['float32', 'float64', 'float16'];
const NUMERIC: readonly DType[] = ['float32', 'float64', 'int32', 'int64'];
const ARITHMETIC: readonly DType[] = ['float32', 'float64', 'int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64'];
const EVERY: readonly DType[] = [...ARITHMETIC, 'float16', 'bool'];
const INDEX: readonly DType[] = ['int32', 'int64'];
const SHAPE: readonly DType[] = ['int64'];

/** op → support; absent ops are not declared. */
export const ORT_CPU_SUPPORT: Readonly<Record<string, OpSupport>> = {
  // Elementwise
  Add: { types: [...ARITHMETIC, 'float16'] },
  Sub: { types: [...ARITHMETIC, 'float16'] },
  Mul: { types: [...ARITHMETIC, 'float16'] },
  Div: { types: [...ARITHMETIC, 'float16'] },
  Pow: { types: [...NUMERIC, 'float16'] },
  Neg: { types: ['float32', 'float64', 'float16', 'int8', 'int16', 'int32', 'int64'] },
  Abs: { types: [...ARITHMETIC, 'float16'] },
  Exp: { types: REAL_HALF },
  Log: { types: REAL_HALF },
  Sqrt: { types: REAL_HALF },
  Reciprocal: { types: REAL_HALF },
  Erf: { types: HALF },
  Sigmoid: { types: REAL_HALF },
  Tanh: { types: REAL_HALF },
  Relu: { types: ['float32', 'float64', 'float16', 'int8', 'int32'] },
  LeakyRelu: { types: HALF },
  Gelu: { types: HALF },
  HardSwish: { types: HALF },
  Clip: { types: ['float32', 'float64', 'float16', 'int8', 'uint8', 'int32', 'uint32', 'int64', 'uint64'] },
  Where: { types: ['bool'], extra: ['float32', 'float64', 'uint8', 'int32', 'int64'] },
  Equal: { types: EVERY },
  Less: { types: [...ARITHMETIC, 'float16'] },
  Greater: { types: [...ARITHMETIC, 'float16'] },
  Not: { types: ['bool'] },
  Cast: { types: EVERY },
  Identity: { types: EVERY },
  Dropout: { types: ['float32', 'float64', 'float16'], extra: ['bool'] },
  Constant: { types: [] },
  Shape: { types: EVERY },
  Sum: { types: REAL_HALF },
  Mean: { types: HALF },
  Max: { types: ['float32', 'float64', 'float16', 'int8', 'uint8', 'int32', 'uint32', 'int64', 'uint64'] },
  Min: { types: ['float32', 'float64', 'float16', 'int8', 'uint8', 'int32', 'uint32', 'int64', 'uint64'] },
  // Linear algebra, convolution, pooling, normalization
  MatMul: { types: ['float32', 'float64', 'float16', 'int32', 'uint32', 'int64', 'uint64'] },
  Gemm: { types: REAL },
  Einsum: { types: NUMERIC },
  Conv: { types: FLOAT },
  ConvTranspose: { types: FLOAT },
  MaxPool: { types: ['float32', 'float64', 'int8', 'uint8'] },
  AveragePool: { types: FLOAT },
  GlobalAveragePool: { types: FLOAT },
  LRN: { types: FLOAT },
  BatchNormalization: { types: REAL },
  LayerNormalization: { types: REAL },
  GroupNormalization: { types: FLOAT },
  InstanceNormalization: { types: FLOAT },
  Softmax: { types: REAL_HALF },
  LogSoftmax: { types: REAL_HALF },
  // Reductions and index ops
  ReduceSum: { types: NUMERIC, extra: SHAPE },
  ReduceMean: { types: NUMERIC, extra: SHAPE },
  ReduceMax: { types: [...NUMERIC, 'int8', 'uint8'], extra: SHAPE },
  ReduceMin: { types: [...NUMERIC, 'int8', 'uint8'], extra: SHAPE },
  ArgMax: { types: [...NUMERIC, 'int8', 'uint8'] },
  CumSum: { types: NUMERIC, extra: INDEX },
  TopK: { types: NUMERIC, extra: SHAPE },
  NonMaxSuppression: { types: FLOAT, extra: SHAPE },
  // Shape and data movement
  Reshape: { types: EVERY, extra: SHAPE },
  Flatten: { types: EVERY },
  Transpose: { types: EVERY },
  Squeeze: { types: EVERY, extra: SHAPE },
  Unsqueeze: { types: EVERY, extra: SHAPE },
  Expand: { types: EVERY, extra: SHAPE },
  Concat: { types: EVERY },
  Split: { types: EVERY, extra: SHAPE },
  Slice: { types: EVERY, extra: INDEX },
  Gather: { types: EVERY, extra: INDEX },
  GatherND: { types: EVERY, extra: SHAPE },
  ScatterND: { types: EVERY, extra: SHAPE },
  Pad: { types: ['float32', 'float64', 'int8', 'uint8', 'int32', 'uint32', 'int64', 'uint64', 'bool'], extra: SHAPE },
  Resize: { types: ['float32', 'int8', 'uint8', 'int32'], extra: ['float32', 'int64'] },
  ConstantOfShape: { types: SHAPE },
  // Quantization
  QuantizeLinear: { types: ['float32', 'float16'], extra: ['float32', 'float16', 'int8', 'uint8', 'int16', 'uint16'] },
  DequantizeLinear: { types: ['int8', 'uint8', 'int16', 'uint16', 'int32'], extra: ['float32', 'float16', 'int8', 'uint8', 'int16', 'uint16', 'int32'] },
  DynamicQuantizeLinear: { types: FLOAT },
  QLinearMatMul: { types: ['int8', 'uint8'], extra: ['float32', 'int8', 'uint8'] },
  QLinearConv: { types: ['int8', 'uint8'], extra: ['float32', 'int8', 'uint8', 'int32'] },
  MatMulInteger: { types: ['int8', 'uint8'] },
  ConvInteger: { types: ['uint8'], extra: ['int8', 'uint8'] },
};

/** Whether the table declares `op` (ONNX domain) for these present-input dtypes. */
export function declares(op: string, dtypes: readonly DType[]): boolean {
  const support = ORT_CPU_SUPPORT[op];
  if (!support) return false;
  const [first, ...rest] = dtypes;
  if (first === undefined) return support.types.length === 0;
  if (!support.types.includes(first)) return false;
  return rest.every((dtype) => support.types.includes(dtype) || (support.extra?.includes(dtype) ?? false));
}
