// AttributeProto ↔ IR attribute values. Scalars, lists, strings and tensors map directly;
// graphs, sparse tensors, type protos and attribute references are out of scope (typed errors
// naming the node). Export picks the AttributeProto type from the op schema's AttrSpec.
import { type AttrSpec, type AttrValue, type Attributes, ModelFormatError, type TensorData, UnsupportedOpError } from '@efficientdl/ir';
import { type AttributeMessage, bytesToString, encodeInt64, int64ToNumber, stringToBytes } from './proto-types.js';
import { decodeTensorProto, encodeTensorProto } from './tensor-proto.js';

/** AttributeProto.AttributeType values (onnx.proto). */
export const ATTRIBUTE_TYPE = {
  UNDEFINED: 0,
  FLOAT: 1,
  INT: 2,
  STRING: 3,
  TENSOR: 4,
  GRAPH: 5,
  FLOATS: 6,
  INTS: 7,
  STRINGS: 8,
  TENSORS: 9,
  GRAPHS: 10,
  SPARSE_TENSOR: 11,
  SPARSE_TENSORS: 12,
  TYPE_PROTO: 13,
  TYPE_PROTOS: 14,
} as const;

/** Guesses the type of an attribute without `type` (IR version < 3 writers) from the fields set. */
function guessType(attribute: AttributeMessage): number {
  if (attribute.t) return ATTRIBUTE_TYPE.TENSOR;
  if (attribute.g) return ATTRIBUTE_TYPE.GRAPH;
  if (attribute.s && attribute.s.length > 0) return ATTRIBUTE_TYPE.STRING;
  if (attribute.floats.length > 0) return ATTRIBUTE_TYPE.FLOATS;
  if (attribute.ints.length > 0) return ATTRIBUTE_TYPE.INTS;
  if (attribute.strings.length > 0) return ATTRIBUTE_TYPE.STRINGS;
  if (attribute.graphs.length > 0) return ATTRIBUTE_TYPE.GRAPHS;
  if (attribute.f) return ATTRIBUTE_TYPE.FLOAT;
  return ATTRIBUTE_TYPE.INT;
}

/** Converts one AttributeProto of node `node` (op `op`) to an IR attribute value. */
export function decodeAttribute(attribute: AttributeMessage, op: string, node: string): AttrValue {
  const where = `node '${node}' (${op}) attribute '${attribute.name}'`;
  if (attribute.ref_attr_name) {
    throw new UnsupportedOpError(`${where}: attribute references (ref_attr_name) only occur in functions, which are not supported`, { op, node });
  }
  const type = attribute.type === ATTRIBUTE_TYPE.UNDEFINED ? guessType(attribute) : attribute.type;
  switch (type) {
    case ATTRIBUTE_TYPE.FLOAT:
      return attribute.f;
    case ATTRIBUTE_TYPE.INT:
      return int64ToNumber(attribute.i, where);
    case ATTRIBUTE_TYPE.STRING:
      return bytesToString(attribute.s);
    case ATTRIBUTE_TYPE.TENSOR:
      if (!attribute.t) throw new ModelFormatError(`${where}: TENSOR attribute without field t`, { op, node, field: 't' });
      return decodeTensorProto(attribute.t, where);
    case ATTRIBUTE_TYPE.FLOATS:
      return [...attribute.floats];
    case ATTRIBUTE_TYPE.INTS:
      return attribute.ints.map((value, index) => int64ToNumber(value, `${where}[${index}]`));
    case ATTRIBUTE_TYPE.STRINGS:
      return attribute.strings.map(bytesToString);
    case ATTRIBUTE_TYPE.GRAPH:
    case ATTRIBUTE_TYPE.GRAPHS:
      throw new UnsupportedOpError(`${where}: graph attributes (control flow subgraphs) are not supported`, { op, node });
    case ATTRIBUTE_TYPE.TENSORS:
    case ATTRIBUTE_TYPE.SPARSE_TENSOR:
    case ATTRIBUTE_TYPE.SPARSE_TENSORS:
    case ATTRIBUTE_TYPE.TYPE_PROTO:
    case ATTRIBUTE_TYPE.TYPE_PROTOS:
      throw new UnsupportedOpError(`${where}: attribute type ${type} (tensor lists, sparse tensors, type protos) is not supported`, { op, node });
    default:
      throw new ModelFormatError(`${where}: unknown attribute type ${type}`, { op, node, field: 'type' });
  }
}

/** Converts all attributes of a node, rejecting duplicates. */
export function decodeAttributes(attributes: readonly AttributeMessage[], op: string, node: string): Record<string, AttrValue> {
  const result: Record<string, AttrValue> = {};
  for (const attribute of attributes) {
    if (attribute.name in result) {
      throw new ModelFormatError(`node '${node}' (${op}): attribute '${attribute.name}' appears twice`, { op, node, field: 'attribute' });
    }
    result[attribute.name] = decodeAttribute(attribute, op, node);
  }
  return result;
}

function isTensor(value: AttrValue): value is TensorData {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && 'dtype' in value;
}

/** The AttributeProto type for a value, from the schema spec when known, else from the JS value. */
function attributeTypeOf(value: AttrValue, spec: AttrSpec | undefined): number {
  if (spec) return ATTRIBUTE_TYPE[spec.type.toUpperCase() as keyof typeof ATTRIBUTE_TYPE];
  if (isTensor(value)) return ATTRIBUTE_TYPE.TENSOR;
  if (typeof value === 'string') return ATTRIBUTE_TYPE.STRING;
  if (typeof value === 'number') return Number.isInteger(value) ? ATTRIBUTE_TYPE.INT : ATTRIBUTE_TYPE.FLOAT;
  const list = value as readonly (number | string)[];
  if (list.some((item) => typeof item === 'string')) return ATTRIBUTE_TYPE.STRINGS;
  return list.every((item) => Number.isInteger(item)) ? ATTRIBUTE_TYPE.INTS : ATTRIBUTE_TYPE.FLOATS;
}

/** Encodes one attribute as a plain AttributeProto object. */
export function encodeAttribute(name: string, value: AttrValue, spec: AttrSpec | undefined): Record<string, unknown> {
  const type = attributeTypeOf(value, spec);
  const proto: Record<string, unknown> = { name, type };
  switch (type) {
    case ATTRIBUTE_TYPE.FLOAT:
      proto.f = value;
      break;
    case ATTRIBUTE_TYPE.INT:
      proto.i = encodeInt64(value as number);
      break;
    case ATTRIBUTE_TYPE.STRING:
      proto.s = stringToBytes(value as string);
      break;
    case ATTRIBUTE_TYPE.TENSOR:
      proto.t = encodeTensorProto('', value as TensorData);
      break;
    case ATTRIBUTE_TYPE.FLOATS:
      proto.floats = [...(value as number[])];
      break;
    case ATTRIBUTE_TYPE.INTS:
      proto.ints = (value as number[]).map((item) => encodeInt64(item));
      break;
    case ATTRIBUTE_TYPE.STRINGS:
      proto.strings = (value as string[]).map(stringToBytes);
      break;
  }
  return proto;
}

/** Encodes a node's attributes (in key order), using `specs` for types. */
export function encodeAttributes(attrs: Attributes, specs: Readonly<Record<string, AttrSpec>> | undefined): Record<string, unknown>[] {
  return Object.entries(attrs).map(([name, value]) => encodeAttribute(name, value, specs?.[name]));
}
