// Conformance cases for elementwise, comparison, cast, reduction, shape and quantization ops.
import type { OpCase } from '../op-case.js';

export const BASIC_CASES: readonly OpCase[] = [];
