// All conformance cases, concatenated from one file per op family.
import type { OpCase } from '../op-case.js';

export const ALL_CASES: readonly OpCase[] = [];
