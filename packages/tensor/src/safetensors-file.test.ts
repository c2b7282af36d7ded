// Tests for the Node safetensors file helpers: write → read round trip, overwrite, no temp files
// left behind, and errors naming the file path.
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DTypeError, ModelFormatError, type TensorData, fromNumbers } from '@efficientdl/ir';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readSafetensors, writeSafetensors } from './safetensors-file.js';

describe('safetensors files', () => {
  let directory = '';
  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'efficientdl-safetensors-'));
  });
  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('writes atomically and reads back, overwriting an existing file', async () => {
    const path = join(directory, 'model.safetensors');
    await writeFile(path, 'old contents');
    const tensors: Record<string, TensorData> = {
      'features.0.weight': fromNumbers('float32', [2, 2], [1, 2, 3, 4]),
      'features.0.bias': fromNumbers('int64', [2], [7, -8]),
    };
    await writeSafetensors(path, tensors, { epoch: '3' });
    const back = await readSafetensors(path);
    expect(back.metadata).toEqual({ epoch: '3' });
    expect([...(back.tensors['features.0.weight'] as TensorData).data]).toEqual([1, 2, 3, 4]);
    expect([...(back.tensors['features.0.bias'] as TensorData).data]).toEqual([7n, -8n]);
    expect(await readdir(directory)).toEqual(['model.safetensors']);
  });

  it('leaves no file when serialization fails', async () => {
    const path = join(directory, 'bad.safetensors');
    await expect(writeSafetensors(path, { packed: fromNumbers('int4', [2], [1, 2]) })).rejects.toThrow(DTypeError);
    expect(await readdir(directory)).toEqual([]);
  });

  it('names the path in errors for malformed files', async () => {
    const path = join(directory, 'broken.safetensors');
    await writeFile(path, new Uint8Array([1, 2, 3]));
    await expect(readSafetensors(path)).rejects.toThrow(ModelFormatError);
    await expect(readSafetensors(path)).rejects.toThrow(path);
  });
});
