// ValueInfoProto ↔ IR Value. Only tensor types are supported (sequence, map, optional and sparse
// types are rejected naming the value); unknown dims become fresh symbolic names.
import { type Dim, ModelFormatError, UnsupportedOpError, type Value, onnxDataType } from '@efficientdl/ir';
import { type TypeProtoMessage, type ValueInfoMessage, int64ToNumber } from './proto-types.js';
import { dtypeForOnnxCode } from './tensor-proto.js';

/** A decoded value whose dtype or rank the file leaves unknown (outputs are then inferred). */
export interface PartialValue {
  readonly name: string;
  readonly dtype?: Value['dtype'];
  readonly shape?: Dim[];
}

/** Hands out fresh names for unknown dims: 'unk__0', 'unk__1', ... */
export class DimNamer {
  private next = 0;
  fresh(): string {
    return `unk__${this.next++}`;
  }
}

function rejectNonTensor(type: TypeProtoMessage, name: string): void {
  if (type.value && type.value !== 'tensor_type') {
    const kind = type.value.replace('_type', '');
    throw new UnsupportedOpError(`value '${name}' has a ${kind} type; only tensor types are supported`, { value: name, type: kind });
  }
}

/** Decodes a ValueInfoProto; missing elem_type / shape are left undefined. */
export function decodeValueInfo(info: ValueInfoMessage, namer: DimNamer): PartialValue {
  const name = info.name;
  if (!name) throw new ModelFormatError('a graph input/output/value_info has no name', { field: 'ValueInfoProto.name' });
  const type = info.type;
  if (!type) return { name };
  rejectNonTensor(type, name);
  const tensor = type.tensor_type;
  if (!tensor) return { name };
  const dtype = tensor.elem_type ? dtypeForOnnxCode(tensor.elem_type, `value '${name}'`) : undefined;
  if (!tensor.shape) return dtype ? { name, dtype } : { name };
  const shape = tensor.shape.dim.map((dim, axis): Dim => {
    if (dim.value === 'dim_value' && dim.dim_value !== undefined) {
      const size = int64ToNumber(dim.dim_value, `value '${name}' dim ${axis}`);
      return size >= 0 ? size : namer.fresh();
    }
    if (dim.value === 'dim_param' && dim.dim_param) return dim.dim_param;
    return namer.fresh();
  });
  return dtype ? { name, dtype, shape } : { name, shape };
}

/** Encodes an IR Value as a plain ValueInfoProto object. */
export function encodeValueInfo(value: Value): Record<string, unknown> {
  const dim = value.shape.map((size) => (typeof size === 'number' ? { dim_value: size } : { dim_param: size }));
  return { name: value.name, type: { tensor_type: { elem_type: onnxDataType(value.dtype), shape: { dim } } } };
}
