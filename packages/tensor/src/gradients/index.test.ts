// The gradient table and the op schemas agree: every schema marked differentiable has a gradient
// entry, and every entry belongs to a differentiable schema (otherwise the engine never records it).
import { getOpSchema, listOps } from '@efficientdl/ir';
import { describe, expect, it } from 'vitest';
import { GRADIENTS } from './index.js';

const key = (name: string, domain: string) => (domain ? `${domain}::${name}` : name);

describe('GRADIENTS table', () => {
  it('covers every differentiable built-in op', () => {
    const missing = listOps()
      .filter((schema) => schema.differentiable)
      .map((schema) => key(schema.name, schema.domain))
      .filter((name) => !GRADIENTS[name]);
    expect(missing).toEqual([]);
  });

  it('only holds ops whose schema is differentiable', () => {
    const notRecorded = Object.keys(GRADIENTS).filter((name) => {
      const [domain, op] = name.includes('::') ? (name.split('::') as [string, string]) : ['', name];
      return getOpSchema(op, domain).differentiable !== true;
    });
    expect(notRecorded).toEqual([]);
  });
});
