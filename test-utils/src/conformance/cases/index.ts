// All conformance cases, concatenated from one file per op family.
import type { OpCase } from '../op-case.js';
import { BASIC_CASES } from './basic-cases.js';
import { NN_CASES } from './nn-cases.js';

export const ALL_CASES: readonly OpCase[] = [...BASIC_CASES, ...NN_CASES];
