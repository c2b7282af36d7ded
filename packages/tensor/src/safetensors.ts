// safetensors checkpoints: serialize a name → TensorData map to bytes and parse bytes back, checking
// every number in the header against the file before using it (never allocating from unchecked sizes).
// reference: https://github.com/huggingface/safetensors (README "Format"): u64 little-endian header
// length N, N bytes of UTF-8 JSON {name: {dtype, shape, data_offsets: [begin, end]}, __metadata__?},
// then the byte buffer; offsets are relative to the buffer start and must cover it exactly.
import {
  type DType,
  ModelFormatError,
  ShapeError,
  type TensorData,
  formatShape,
  storageLength,
} from '@efficientdl/ir';
import {
  ELEMENT_BYTES,
  dtypeFromSafetensorsCode,
  readLittleEndian,
  safetensorsCode,
  writeLittleEndian,
} from './safetensors-dtypes.js';

/** Largest header accepted, as in the reference implementation. */
export const MAX_SAFETENSORS_HEADER_BYTES = 100 * 1024 * 1024;
const METADATA_KEY = '__metadata__';
const PREFIX_BYTES = 8;

export interface SafetensorsContents {
  tensors: Record<string, TensorData>;
  /** The string → string `__metadata__` map ({} when the file has none). */
  metadata: Record<string, string>;
}

export interface ParseSafetensorsOptions {
  /** File name used in error messages. */
  file?: string;
}

// ---------------------------------------------------------------------------------------------
// Writing

interface PlannedTensor {
  name: string;
  tensor: TensorData;
  code: string;
  elementBytes: number;
  begin: number;
  end: number;
}

function planTensor(name: string, tensor: TensorData): Omit<PlannedTensor, 'begin' | 'end'> {
  if (name === METADATA_KEY) {
    throw new ModelFormatError(`safetensors: '${METADATA_KEY}' is reserved and cannot name a tensor`, { tensor: name });
  }
  const code = safetensorsCode(tensor.dtype, name);
  const elementBytes = ELEMENT_BYTES[tensor.dtype] as number;
  let count = 1;
  for (const dim of tensor.shape) {
    if (!Number.isSafeInteger(dim) || dim < 0) {
      throw new ShapeError(`safetensors: tensor '${name}' has invalid shape ${formatShape(tensor.shape)}`, { tensor: name });
    }
    count *= dim;
  }
  if (tensor.data.length !== storageLength(tensor.dtype, count) || tensor.data.BYTES_PER_ELEMENT !== elementBytes) {
    throw new ShapeError(
      `safetensors: tensor '${name}' (${tensor.dtype}${formatShape(tensor.shape)}) has storage of ${tensor.data.length} elements × ${tensor.data.BYTES_PER_ELEMENT} bytes, expected ${count} × ${elementBytes}`,
      { tensor: name },
    );
  }
  return { name, tensor, code, elementBytes };
}

function compareCodePoints(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Lays tensors out in a deterministic order: widest element first, then by name (as the reference
 * writer does, so every tensor's data stays aligned to its element size).
 */
function planLayout(tensors: Record<string, TensorData>): PlannedTensor[] {
  const planned = Object.entries(tensors).map(([name, tensor]) => planTensor(name, tensor));
  planned.sort((a, b) => b.elementBytes - a.elementBytes || compareCodePoints(a.name, b.name));
  let offset = 0;
  return planned.map((entry) => {
    const begin = offset;
    offset += entry.tensor.data.byteLength;
    return { ...entry, begin, end: offset };
  });
}

function headerJson(layout: readonly PlannedTensor[], metadata: Record<string, string> | undefined): string {
  const parts: string[] = [];
  if (metadata !== undefined) {
    for (const [key, value] of Object.entries(metadata)) {
      if (typeof value !== 'string') {
        throw new ModelFormatError(`safetensors: __metadata__ value for '${key}' must be a string, got ${typeof value}`, {
          field: key,
        });
      }
    }
    parts.push(`${JSON.stringify(METADATA_KEY)}:${JSON.stringify(metadata)}`);
  }
  for (const entry of layout) {
    const body = { dtype: entry.code, shape: [...entry.tensor.shape], data_offsets: [entry.begin, entry.end] };
    parts.push(`${JSON.stringify(entry.name)}:${JSON.stringify(body)}`);
  }
  return `{${parts.join(',')}}`;
}

/** Serializes tensors (and optional string metadata) to safetensors bytes; deterministic. */
export function serializeSafetensors(tensors: Record<string, TensorData>, metadata?: Record<string, string>): Uint8Array {
  const layout = planLayout(tensors);
  const json = new TextEncoder().encode(headerJson(layout, metadata));
  // Pad the header with spaces to a multiple of 8 bytes so the buffer starts 8-byte aligned.
  const headerBytes = Math.ceil(json.length / 8) * 8;
  const bufferBytes = layout.length === 0 ? 0 : (layout[layout.length - 1] as PlannedTensor).end;
  const out = new Uint8Array(PREFIX_BYTES + headerBytes + bufferBytes);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes), true);
  out.set(json, PREFIX_BYTES);
  out.fill(0x20, PREFIX_BYTES + json.length, PREFIX_BYTES + headerBytes);
  const dataStart = PREFIX_BYTES + headerBytes;
  for (const entry of layout) {
    writeLittleEndian(entry.tensor.data, entry.elementBytes, out.subarray(dataStart + entry.begin, dataStart + entry.end));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Reading

interface HeaderEntry {
  name: string;
  dtype: DType;
  shape: number[];
  count: number;
  begin: number;
  end: number;
}

class Reader {
  constructor(
    readonly file: string,
    readonly dataStart: number,
    readonly bufferBytes: number,
  ) {}

  fail(message: string, context: Record<string, unknown> = {}): never {
    throw new ModelFormatError(`safetensors '${this.file}': ${message}`, { file: this.file, ...context });
  }
}

function readHeaderObject(bytes: Uint8Array, file: string): { header: Record<string, unknown>; dataStart: number } {
  const fail = (message: string, context: Record<string, unknown>): never => {
    throw new ModelFormatError(`safetensors '${file}': ${message}`, { file, ...context });
  };
  if (bytes.length < PREFIX_BYTES) {
    fail(`file is ${bytes.length} bytes, too short for the 8-byte header length at offset 0`, { offset: 0, field: 'header length' });
  }
  const declared = new DataView(bytes.buffer, bytes.byteOffset, PREFIX_BYTES).getBigUint64(0, true);
  const available = BigInt(bytes.length - PREFIX_BYTES);
  if (declared > available || declared > BigInt(MAX_SAFETENSORS_HEADER_BYTES)) {
    fail(
      `header length ${declared} (at offset 0) exceeds the ${available} bytes after the prefix${declared > available ? '' : ` or the ${MAX_SAFETENSORS_HEADER_BYTES}-byte limit`}`,
      { offset: 0, field: 'header length' },
    );
  }
  const headerBytes = Number(declared);
  let text = '';
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(PREFIX_BYTES, PREFIX_BYTES + headerBytes));
  } catch {
    fail(`header (offsets 8..${PREFIX_BYTES + headerBytes}) is not valid UTF-8`, { offset: PREFIX_BYTES, field: 'header' });
  }
  let header: unknown;
  try {
    header = JSON.parse(text);
  } catch (error) {
    fail(`header (offsets 8..${PREFIX_BYTES + headerBytes}) is not valid JSON: ${(error as Error).message}`, {
      offset: PREFIX_BYTES,
      field: 'header',
    });
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    fail(`header (offset 8) must be a JSON object, got ${Array.isArray(header) ? 'an array' : typeof header}`, {
      offset: PREFIX_BYTES,
      field: 'header',
    });
  }
  return { header: header as Record<string, unknown>, dataStart: PREFIX_BYTES + headerBytes };
}

function parseMetadata(raw: unknown, reader: Reader): Record<string, string> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    reader.fail(`${METADATA_KEY} must be an object of strings`, { field: METADATA_KEY });
  }
  const entries = Object.entries(raw as Record<string, unknown>);
  for (const [key, value] of entries) {
    if (typeof value !== 'string') {
      reader.fail(`${METADATA_KEY}['${key}'] must be a string, got ${JSON.stringify(value)}`, { field: `${METADATA_KEY}.${key}` });
    }
  }
  return Object.fromEntries(entries) as Record<string, string>;
}

function isNonNegativeSafeInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function parseShape(name: string, raw: unknown, elementBytes: number, reader: Reader): { shape: number[]; count: number } {
  if (!Array.isArray(raw) || !raw.every(isNonNegativeSafeInteger)) {
    reader.fail(`tensor '${name}': shape ${JSON.stringify(raw)} must be an array of non-negative integers`, {
      tensor: name,
      field: 'shape',
    });
  }
  const shape = raw as number[];
  if (shape.includes(0)) return { shape, count: 0 };
  let count = 1;
  for (const dim of shape) {
    count *= dim;
    if (count * elementBytes > reader.bufferBytes) {
      reader.fail(`tensor '${name}': shape ${formatShape(shape)} needs more bytes than the ${reader.bufferBytes}-byte buffer holds`, {
        tensor: name,
        field: 'shape',
      });
    }
  }
  return { shape, count };
}

function parseOffsets(name: string, raw: unknown, reader: Reader): [number, number] {
  if (!Array.isArray(raw) || raw.length !== 2 || !raw.every(isNonNegativeSafeInteger)) {
    reader.fail(`tensor '${name}': data_offsets ${JSON.stringify(raw)} must be two non-negative integers`, {
      tensor: name,
      field: 'data_offsets',
    });
  }
  const [begin, end] = raw as [number, number];
  if (begin > end || end > reader.bufferBytes) {
    reader.fail(
      `tensor '${name}': data_offsets [${begin}, ${end}] (file offsets ${reader.dataStart + begin}..${reader.dataStart + end}) are outside the ${reader.bufferBytes}-byte buffer or reversed`,
      { tensor: name, field: 'data_offsets', offset: reader.dataStart + begin },
    );
  }
  return [begin, end];
}

function parseEntry(name: string, raw: unknown, reader: Reader): HeaderEntry {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    reader.fail(`tensor '${name}': header entry must be an object {dtype, shape, data_offsets}`, { tensor: name });
  }
  const entry = raw as Record<string, unknown>;
  const code = entry.dtype;
  const dtype = typeof code === 'string' ? dtypeFromSafetensorsCode(code) : undefined;
  if (dtype === undefined) {
    reader.fail(`tensor '${name}': unknown or unsupported dtype ${JSON.stringify(code)}`, { tensor: name, field: 'dtype' });
  }
  const elementBytes = ELEMENT_BYTES[dtype] as number;
  const [begin, end] = parseOffsets(name, entry.data_offsets, reader);
  const { shape, count } = parseShape(name, entry.shape, elementBytes, reader);
  if (end - begin !== count * elementBytes) {
    reader.fail(
      `tensor '${name}': ${code}${formatShape(shape)} needs ${count * elementBytes} bytes but data_offsets [${begin}, ${end}] span ${end - begin} (file offset ${reader.dataStart + begin})`,
      { tensor: name, field: 'data_offsets', offset: reader.dataStart + begin },
    );
  }
  return { name, dtype, shape, count, begin, end };
}

/** The entries, sorted by offset, must tile the buffer exactly: no gaps, no overlaps. */
function checkCoverage(entries: HeaderEntry[], reader: Reader): void {
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let cursor = 0;
  for (const entry of sorted) {
    if (entry.begin !== cursor) {
      const problem = entry.begin < cursor ? 'overlaps the previous tensor' : `leaves a gap after buffer offset ${cursor}`;
      reader.fail(`tensor '${entry.name}': data_offsets [${entry.begin}, ${entry.end}] ${problem} (file offset ${reader.dataStart + entry.begin})`, {
        tensor: entry.name,
        field: 'data_offsets',
        offset: reader.dataStart + entry.begin,
      });
    }
    cursor = entry.end;
  }
  if (cursor !== reader.bufferBytes) {
    reader.fail(`tensors cover ${cursor} of the ${reader.bufferBytes} buffer bytes; ${reader.bufferBytes - cursor} trailing bytes at file offset ${reader.dataStart + cursor}`, {
      field: 'data_offsets',
      offset: reader.dataStart + cursor,
    });
  }
}

function decodeEntry(entry: HeaderEntry, bytes: Uint8Array, reader: Reader): TensorData {
  const start = reader.dataStart + entry.begin;
  const data = readLittleEndian(entry.dtype, entry.count, bytes.subarray(start, reader.dataStart + entry.end));
  if (entry.dtype === 'bool') {
    const index = (data as Uint8Array).findIndex((value) => value > 1);
    if (index >= 0) {
      reader.fail(`tensor '${entry.name}': BOOL byte ${data[index]} at file offset ${start + index} is not 0 or 1`, {
        tensor: entry.name,
        offset: start + index,
      });
    }
  }
  return { dtype: entry.dtype, shape: entry.shape, data };
}

/** Parses safetensors bytes; every malformation is a ModelFormatError naming file, tensor and field. */
export function parseSafetensors(bytes: Uint8Array, options: ParseSafetensorsOptions = {}): SafetensorsContents {
  const file = options.file ?? '<bytes>';
  const { header, dataStart } = readHeaderObject(bytes, file);
  const reader = new Reader(file, dataStart, bytes.length - dataStart);
  let metadata: Record<string, string> = {};
  const entries: HeaderEntry[] = [];
  for (const [name, raw] of Object.entries(header)) {
    if (name === METADATA_KEY) metadata = parseMetadata(raw, reader);
    else entries.push(parseEntry(name, raw, reader));
  }
  checkCoverage(entries, reader);
  const tensors = Object.fromEntries(entries.map((entry) => [entry.name, decodeEntry(entry, bytes, reader)]));
  return { tensors, metadata };
}
