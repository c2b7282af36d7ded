// Typed errors shared by every package. Each has a stable `code` that callers can switch on;
// messages name the op, node, shapes, file or field involved (DESIGN §2 "Errors").

export type ErrorCode =
  | 'E_SHAPE'
  | 'E_DTYPE'
  | 'E_UNSUPPORTED_OP'
  | 'E_MODEL_FORMAT'
  | 'E_CONFIG'
  | 'E_GRAPH'
  | 'E_ATTRIBUTE';

export interface ErrorContext {
  op?: string;
  node?: string;
  file?: string;
  [key: string]: unknown;
}

/** Base class: every EfficientDL error carries a stable code and structured context. */
export class EfficientDLError extends Error {
  readonly code: ErrorCode;
  readonly context: ErrorContext;
  constructor(code: ErrorCode, message: string, context: ErrorContext = {}) {
    super(message);
    this.name = new.target.name;
    this.code = code;
    this.context = context;
  }
}

/** Incompatible or invalid shapes (broadcast failure, rank mismatch, bad reshape). */
export class ShapeError extends EfficientDLError {
  constructor(message: string, context: ErrorContext = {}) {
    super('E_SHAPE', message, context);
  }
}

/** A dtype an op does not accept, or dtypes that disagree. */
export class DTypeError extends EfficientDLError {
  constructor(message: string, context: ErrorContext = {}) {
    super('E_DTYPE', message, context);
  }
}

/** An op with no schema, or a backend without a kernel for it. */
export class UnsupportedOpError extends EfficientDLError {
  constructor(message: string, context: ErrorContext = {}) {
    super('E_UNSUPPORTED_OP', message, context);
  }
}

/** A malformed file: safetensors, ONNX protobuf, IDX, checkpoint JSON. */
export class ModelFormatError extends EfficientDLError {
  constructor(message: string, context: ErrorContext = {}) {
    super('E_MODEL_FORMAT', message, context);
  }
}

/** A user configuration that cannot be honoured (bad ratio, unknown layer, empty dataset). */
export class ConfigError extends EfficientDLError {
  constructor(message: string, context: ErrorContext = {}) {
    super('E_CONFIG', message, context);
  }
}

/** A structurally invalid graph: cycles, dangling inputs, duplicate producers. */
export class GraphError extends EfficientDLError {
  constructor(message: string, context: ErrorContext = {}) {
    super('E_GRAPH', message, context);
  }
}

/** A missing required attribute, or one with the wrong type or an invalid value. */
export class AttributeError extends EfficientDLError {
  constructor(message: string, context: ErrorContext = {}) {
    super('E_ATTRIBUTE', message, context);
  }
}
