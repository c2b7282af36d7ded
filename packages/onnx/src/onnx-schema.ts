// The subset of ONNX's protobuf schema (onnx.proto, IR version 10) that import/export needs,
// written as a protobufjs JSON descriptor and loaded through reflection. Field numbers and
// types follow https://github.com/onnx/onnx/blob/main/onnx/onnx.proto; a test checks them
// against the official file. Unknown fields (functions, training info, ...) are skipped on decode.
import protobuf from 'protobufjs/light.js';

const int64 = (id: number) => ({ type: 'int64', id });
const string = (id: number) => ({ type: 'string', id });
const repeated = (type: string, id: number, packed = false) =>
  packed ? { rule: 'repeated', type, id, options: { packed: true } } : { rule: 'repeated', type, id };

/** protobufjs JSON descriptor of the ONNX messages we read and write (snake_case names). */
export const ONNX_DESCRIPTOR = {
  nested: {
    onnx: {
      nested: {
        AttributeProto: {
          fields: {
            name: string(1),
            ref_attr_name: string(21),
            doc_string: string(13),
            type: { type: 'AttributeType', id: 20 },
            f: { type: 'float', id: 2 },
            i: int64(3),
            s: { type: 'bytes', id: 4 },
            t: { type: 'TensorProto', id: 5 },
            g: { type: 'GraphProto', id: 6 },
            sparse_tensor: { type: 'SparseTensorProto', id: 22 },
            tp: { type: 'TypeProto', id: 14 },
            floats: repeated('float', 7),
            ints: repeated('int64', 8),
            strings: repeated('bytes', 9),
            tensors: repeated('TensorProto', 10),
            graphs: repeated('GraphProto', 11),
            sparse_tensors: repeated('SparseTensorProto', 23),
            type_protos: repeated('TypeProto', 15),
          },
          nested: {
            AttributeType: {
              values: {
                UNDEFINED: 0,
                FLOAT: 1,
                INT: 2,
                STRING: 3,
                TENSOR: 4,
                GRAPH: 5,
                SPARSE_TENSOR: 11,
                TYPE_PROTO: 13,
                FLOATS: 6,
                INTS: 7,
                STRINGS: 8,
                TENSORS: 9,
                GRAPHS: 10,
                SPARSE_TENSORS: 12,
                TYPE_PROTOS: 14,
              },
            },
          },
        },
        ValueInfoProto: {
          fields: { name: string(1), type: { type: 'TypeProto', id: 2 }, doc_string: string(3) },
        },
        NodeProto: {
          fields: {
            input: repeated('string', 1),
            output: repeated('string', 2),
            name: string(3),
            op_type: string(4),
            domain: string(7),
            overload: string(8),
            attribute: repeated('AttributeProto', 5),
            doc_string: string(6),
          },
        },
        ModelProto: {
          fields: {
            ir_version: int64(1),
            opset_import: repeated('OperatorSetIdProto', 8),
            producer_name: string(2),
            producer_version: string(3),
            domain: string(4),
            model_version: int64(5),
            doc_string: string(6),
            graph: { type: 'GraphProto', id: 7 },
            metadata_props: repeated('StringStringEntryProto', 14),
          },
        },
        StringStringEntryProto: { fields: { key: string(1), value: string(2) } },
        GraphProto: {
          fields: {
            node: repeated('NodeProto', 1),
            name: string(2),
            initializer: repeated('TensorProto', 5),
            sparse_initializer: repeated('SparseTensorProto', 15),
            doc_string: string(10),
            input: repeated('ValueInfoProto', 11),
            output: repeated('ValueInfoProto', 12),
            value_info: repeated('ValueInfoProto', 13),
          },
        },
        TensorProto: {
          fields: {
            dims: repeated('int64', 1),
            data_type: { type: 'int32', id: 2 },
            float_data: repeated('float', 4, true),
            int32_data: repeated('int32', 5, true),
            string_data: repeated('bytes', 6),
            int64_data: repeated('int64', 7, true),
            name: string(8),
            doc_string: string(12),
            raw_data: { type: 'bytes', id: 9 },
            external_data: repeated('StringStringEntryProto', 13),
            data_location: { type: 'DataLocation', id: 14 },
            double_data: repeated('double', 10, true),
            uint64_data: repeated('uint64', 11, true),
          },
          nested: { DataLocation: { values: { DEFAULT: 0, EXTERNAL: 1 } } },
        },
        SparseTensorProto: {
          fields: { values: { type: 'TensorProto', id: 1 }, indices: { type: 'TensorProto', id: 2 }, dims: repeated('int64', 3) },
        },
        TensorShapeProto: {
          fields: { dim: repeated('Dimension', 1) },
          nested: {
            Dimension: {
              oneofs: { value: { oneof: ['dim_value', 'dim_param'] } },
              fields: { dim_value: int64(1), dim_param: string(2), denotation: string(3) },
            },
          },
        },
        TypeProto: {
          oneofs: { value: { oneof: ['tensor_type', 'sequence_type', 'map_type', 'optional_type', 'sparse_tensor_type'] } },
          fields: {
            tensor_type: { type: 'Tensor', id: 1 },
            sequence_type: { type: 'Sequence', id: 4 },
            map_type: { type: 'Map', id: 5 },
            optional_type: { type: 'Optional', id: 9 },
            sparse_tensor_type: { type: 'SparseTensor', id: 8 },
            denotation: string(6),
          },
          nested: {
            Tensor: { fields: { elem_type: { type: 'int32', id: 1 }, shape: { type: 'TensorShapeProto', id: 2 } } },
            Sequence: { fields: { elem_type: { type: 'TypeProto', id: 1 } } },
            Map: { fields: { key_type: { type: 'int32', id: 1 }, value_type: { type: 'TypeProto', id: 2 } } },
            Optional: { fields: { elem_type: { type: 'TypeProto', id: 1 } } },
            SparseTensor: { fields: { elem_type: { type: 'int32', id: 1 }, shape: { type: 'TensorShapeProto', id: 2 } } },
          },
        },
        OperatorSetIdProto: { fields: { domain: string(1), version: int64(2) } },
      },
    },
  },
} as const;

let root: protobuf.Root | undefined;

/** The reflected ONNX message type `name` (e.g. 'ModelProto'), built once on first use. */
export function onnxType(name: 'ModelProto' | 'TensorProto' | 'GraphProto' | 'NodeProto'): protobuf.Type {
  root ??= protobuf.Root.fromJSON(ONNX_DESCRIPTOR as unknown as protobuf.INamespace);
  return root.lookupType(`onnx.${name}`);
}
