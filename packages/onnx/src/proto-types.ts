// TypeScript shapes of the decoded ONNX messages (snake_case, as in the descriptor) and int64
// helpers: protobufjs decodes int64/uint64 as numbers or Long objects; we convert to bigint/number
// with range checks. Encoding accepts int64 values as decimal strings.
import { ModelFormatError } from '@efficientdl/ir';

/** A decoded 64-bit integer: a number, or a Long-like {low, high, unsigned}. */
export type Int64Like = number | string | { low: number; high: number; unsigned?: boolean };

export interface StringStringEntry {
  key: string;
  value: string;
}

export interface TensorProtoMessage {
  dims: Int64Like[];
  data_type: number;
  float_data: number[];
  int32_data: number[];
  string_data: Uint8Array[];
  int64_data: Int64Like[];
  name: string;
  doc_string?: string;
  raw_data: Uint8Array;
  external_data: StringStringEntry[];
  data_location: number;
  double_data: number[];
  uint64_data: Int64Like[];
}

export interface DimensionMessage {
  dim_value?: Int64Like;
  dim_param?: string;
  value?: 'dim_value' | 'dim_param';
}

export interface TypeProtoMessage {
  value?: 'tensor_type' | 'sequence_type' | 'map_type' | 'optional_type' | 'sparse_tensor_type';
  tensor_type?: { elem_type: number; shape?: { dim: DimensionMessage[] } | null } | null;
}

export interface ValueInfoMessage {
  name: string;
  type?: TypeProtoMessage | null;
  doc_string?: string;
}

export interface AttributeMessage {
  name: string;
  ref_attr_name?: string;
  type: number;
  f: number;
  i: Int64Like;
  s: Uint8Array;
  t?: TensorProtoMessage | null;
  g?: unknown;
  sparse_tensor?: unknown;
  tp?: unknown;
  floats: number[];
  ints: Int64Like[];
  strings: Uint8Array[];
  tensors: TensorProtoMessage[];
  graphs: unknown[];
  sparse_tensors: unknown[];
  type_protos: unknown[];
}

export interface NodeMessage {
  input: string[];
  output: string[];
  name: string;
  op_type: string;
  domain: string;
  attribute: AttributeMessage[];
  doc_string?: string;
}

export interface GraphMessage {
  node: NodeMessage[];
  name: string;
  initializer: TensorProtoMessage[];
  sparse_initializer: unknown[];
  input: ValueInfoMessage[];
  output: ValueInfoMessage[];
  value_info: ValueInfoMessage[];
}

export interface OperatorSetIdMessage {
  domain: string;
  version: Int64Like;
}

export interface ModelMessage {
  ir_version: Int64Like;
  opset_import: OperatorSetIdMessage[];
  producer_name: string;
  producer_version?: string;
  domain?: string;
  graph?: GraphMessage | null;
  metadata_props?: StringStringEntry[];
}

/** Converts a decoded int64 (number or Long) to a bigint; `unsigned` reads uint64 fields. */
export function int64ToBigInt(value: Int64Like, unsigned = false): bigint {
  if (typeof value === 'number') return BigInt(Math.trunc(value));
  if (typeof value === 'string') return BigInt(value);
  const bits = (BigInt(value.high >>> 0) << 32n) | BigInt(value.low >>> 0);
  return unsigned || value.unsigned ? BigInt.asUintN(64, bits) : BigInt.asIntN(64, bits);
}

/** Converts a decoded int64 to a JS number, throwing ModelFormatError outside the safe range. */
export function int64ToNumber(value: Int64Like, where: string): number {
  const big = int64ToBigInt(value);
  if (big > BigInt(Number.MAX_SAFE_INTEGER) || big < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new ModelFormatError(`${where}: integer ${big} is outside the safe range of a JS number`, { field: where });
  }
  return Number(big);
}

/** Encodes an int64 value for protobufjs's writer (decimal string keeps full 64-bit precision). */
export function encodeInt64(value: number | bigint): string | number {
  return typeof value === 'bigint' ? value.toString() : value;
}

const decoder = new TextDecoder('utf-8');
const encoder = new TextEncoder();

/** Decodes UTF-8 bytes (protobufjs leaves an unset bytes field as an empty plain array). */
export function bytesToString(bytes: Uint8Array | readonly number[]): string {
  return decoder.decode(bytes instanceof Uint8Array ? bytes : Uint8Array.from(bytes));
}

export function stringToBytes(text: string): Uint8Array {
  return encoder.encode(text);
}
