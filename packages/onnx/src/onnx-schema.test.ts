// Checks our hand-written protobufjs descriptor against the official onnx.proto (parsed with
// protobufjs's .proto parser when ../shared/data/onnx.proto is present): every field of every
// message we declare must have the official number, type and repeated-ness; enums must agree.
import { readFileSync } from 'node:fs';
import { hasSharedData, sharedDataPath } from '@efficientdl/test-utils';
import protobuf from 'protobufjs';
import { describe, expect, it } from 'vitest';
import { ONNX_DESCRIPTOR, onnxType } from './onnx-schema.js';

function collect(namespace: protobuf.NamespaceBase, types: protobuf.Type[], enums: protobuf.Enum[]): void {
  for (const nested of namespace.nestedArray) {
    if (nested instanceof protobuf.Type) types.push(nested);
    if (nested instanceof protobuf.Enum) enums.push(nested);
    if (nested instanceof protobuf.Namespace || nested instanceof protobuf.Type) collect(nested, types, enums);
  }
}

function typeName(field: protobuf.Field): string {
  return field.resolvedType ? field.resolvedType.fullName : field.type;
}

describe('ONNX protobuf descriptor', () => {
  it('resolves and round-trips a tiny model', () => {
    const type = onnxType('ModelProto');
    const bytes = type.encode({ ir_version: 10, producer_name: 'x', opset_import: [{ domain: '', version: 21 }] }).finish();
    const decoded = type.decode(bytes) as unknown as { producer_name: string; opset_import: { version: unknown }[] };
    expect(decoded.producer_name).toBe('x');
    expect(Number(decoded.opset_import[0]?.version)).toBe(21);
  });

  it.skipIf(!hasSharedData('onnx.proto'))('matches the official onnx.proto field by field', () => {
    const official = protobuf.parse(readFileSync(sharedDataPath('onnx.proto'), 'utf8'), { keepCase: true }).root;
    official.resolveAll();
    const ours = protobuf.Root.fromJSON(ONNX_DESCRIPTOR as unknown as protobuf.INamespace);
    ours.resolveAll();
    const types: protobuf.Type[] = [];
    const enums: protobuf.Enum[] = [];
    collect(ours, types, enums);
    expect(types.length).toBeGreaterThan(15);
    let checked = 0;
    for (const type of types) {
      const reference = official.lookupType(type.fullName);
      for (const field of type.fieldsArray) {
        const other = reference.fields[field.name];
        expect(other, `${type.fullName}.${field.name} exists officially`).toBeDefined();
        if (!other) continue;
        other.resolve();
        field.resolve();
        expect(`${type.fullName}.${field.name} = ${field.id} ${typeName(field)} ${field.repeated}`).toBe(
          `${type.fullName}.${other.name} = ${other.id} ${typeName(other)} ${other.repeated}`,
        );
        if (field.repeated && other.options?.packed !== undefined) expect(field.options?.packed, `${type.fullName}.${field.name} packed`).toBe(other.options.packed);
        checked++;
      }
    }
    for (const enumeration of enums) {
      const reference = official.lookupEnum(enumeration.fullName);
      expect(enumeration.values, enumeration.fullName).toEqual(Object.fromEntries(Object.keys(enumeration.values).map((key) => [key, reference.values[key]])));
    }
    expect(checked).toBeGreaterThan(80);
  });
});
