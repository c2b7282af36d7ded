// Every built-in op schema, listed explicitly.
import type { OpSchema } from '../op-schema.js';

export const BUILTIN_OPS: readonly OpSchema[] = [];
