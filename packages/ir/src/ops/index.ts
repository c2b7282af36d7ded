// Every built-in op schema, listed explicitly.
import type { OpSchema } from '../op-schema.js';
import { TRAINING_OPS } from './efficientdl-training.js';

export const BUILTIN_OPS: readonly OpSchema[] = [...TRAINING_OPS];
