// The op registry: built-in ONNX + ai.efficientdl schemas, open to registerOp from packages.
// Built-ins are listed explicitly in ops/index.ts (no import side effects).
import { UnsupportedOpError } from './errors.js';
import { type OpSchema, ONNX_DOMAIN } from './op-schema.js';
import { BUILTIN_OPS } from './ops/index.js';

function key(name: string, domain: string): string {
  return domain ? `${domain}::${name}` : name;
}

const registry = new Map<string, OpSchema>(BUILTIN_OPS.map((schema) => [key(schema.name, schema.domain), schema]));

/** Registers (or replaces) the schema for `schema.domain::schema.name`. */
export function registerOp(schema: OpSchema): void {
  registry.set(key(schema.name, schema.domain), schema);
}

export function hasOp(name: string, domain = ONNX_DOMAIN): boolean {
  return registry.has(key(name, domain));
}

/** Looks up a schema; an unknown op is an UnsupportedOpError naming op and node. */
export function getOpSchema(name: string, domain = ONNX_DOMAIN, node?: string): OpSchema {
  const schema = registry.get(key(name, domain));
  if (!schema) {
    const where = node ? ` (node '${node}')` : '';
    const domainText = domain ? ` in domain '${domain}'` : '';
    throw new UnsupportedOpError(`unknown op '${name}'${domainText}${where}`, { op: name, node, domain });
  }
  return schema;
}

export function listOps(): OpSchema[] {
  return [...registry.values()];
}
