// Conformance cases for elementwise, comparison, cast, reduction, shape and quantization ops,
// one file per family under basic/.
import type { OpCase } from '../op-case.js';
import { ARITHMETIC_CASES } from './basic/arithmetic-cases.js';
import { CAST_CASES } from './basic/cast-cases.js';
import { LOGIC_CASES } from './basic/logic-cases.js';
import { QUANTIZATION_CASES } from './basic/quantization-cases.js';
import { REDUCTION_CASES } from './basic/reduction-cases.js';
import { SHAPE_CASES } from './basic/shape-cases.js';
import { UNARY_CASES } from './basic/unary-cases.js';

export const BASIC_CASES: readonly OpCase[] = [
  ...ARITHMETIC_CASES,
  ...UNARY_CASES,
  ...LOGIC_CASES,
  ...CAST_CASES,
  ...REDUCTION_CASES,
  ...SHAPE_CASES,
  ...QUANTIZATION_CASES,
];
