// Node file helpers for safetensors: read a file, and write one atomically (temp file in the same
// directory, fsync, rename), so a crash never leaves a half-written checkpoint under the real name.
// node:fs is imported lazily so that importing @efficientdl/tensor stays browser-safe.
import type { TensorData } from '@efficientdl/ir';
import { type SafetensorsContents, parseSafetensors, serializeSafetensors } from './safetensors.js';

/** Reads and parses a .safetensors file (ModelFormatError naming the path when malformed). */
export async function readSafetensors(path: string): Promise<SafetensorsContents> {
  const { readFile } = await import('node:fs/promises');
  const bytes = await readFile(path);
  return parseSafetensors(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength), { file: path });
}

/** Serializes `tensors` and writes them to `path` atomically. */
export async function writeSafetensors(
  path: string,
  tensors: Record<string, TensorData>,
  metadata?: Record<string, string>,
): Promise<void> {
  const bytes = serializeSafetensors(tensors, metadata);
  const { open, rename, rm } = await import('node:fs/promises');
  const { basename, dirname, join } = await import('node:path');
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.${Math.random().toString(36).slice(2)}.tmp`);
  const handle = await open(temporary, 'wx');
  try {
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}
